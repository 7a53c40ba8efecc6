package dev.durable.internal.storage.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObject;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names read straight from database files agree with SQLite, or defer to it. */
class StoredNameReaderTest {
  @TempDir
  Path dir;

  @Test
  void aNameWrittenByTheRuntimeIsFound() {
    try (DurableRuntime rt = runtime(dir)) {
      DurableObjectNamespace ns = rt.namespace("COUNTER");
      ns.getByName("from runtime", Touch.class).touch();
      rt.evictAll();
      Path file = directory(dir).resolve(ns.idFromName("from runtime") + ".sqlite");
      assertThat(StoredNameReader.read(file)).isEqualTo(found("from runtime"));
    }
  }

  @Test
  void theRowWithTheLowestIdIsTheName() throws Exception {
    Path miniflare = db("mf.sqlite", "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO __miniflare_do_name VALUES (5, 'late'), (1, 'first')");
    assertThat(StoredNameReader.read(miniflare)).isEqualTo(found("first"));
  }

  @Test
  void aFileWithoutANameHasNone() throws Exception {
    assertThat(StoredNameReader.read(db("none.sqlite", "CREATE TABLE t (v)")).outcome())
        .isEqualTo(StoredNameReader.Outcome.NO_NAME);
    assertThat(StoredNameReader.read(db("empty.sqlite",
        "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)")).outcome())
        .isEqualTo(StoredNameReader.Outcome.NO_NAME);
    assertThat(StoredNameReader.read(db("null.sqlite",
        "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO __miniflare_do_name VALUES (0, NULL)")).outcome())
        .isEqualTo(StoredNameReader.Outcome.NO_NAME);
    assertThat(StoredNameReader.read(dir.resolve("missing.sqlite")).outcome())
        .isEqualTo(StoredNameReader.Outcome.NO_NAME);
  }

  @Test
  void namesAreFoundBehindALargeSchemaAndInAnyPageSize() throws Exception {
    String[] statements = new String[302];
    statements[0] = "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)";
    statements[1] = "INSERT INTO __miniflare_do_name VALUES (0, 'Zürich 東京 🎈')";
    for (int i = 0; i < 300; i++) {
      statements[i + 2] = "CREATE TABLE t" + i + " (a_long_column_name_" + "x".repeat(40) + " TEXT, b INTEGER)";
    }
    assertThat(StoredNameReader.read(db("big.sqlite", statements))).isEqualTo(found("Zürich 東京 🎈"));
    for (int pageSize : new int[] {512, 65536}) {
      Path f = db("p" + pageSize + ".sqlite", "PRAGMA page_size = " + pageSize,
          "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
          "INSERT INTO __miniflare_do_name VALUES (0, 'paged')");
      assertThat(StoredNameReader.read(f)).as("page size %d", pageSize).isEqualTo(found("paged"));
    }
  }

  @Test
  void whatTheReaderCannotVouchForIsLeftToSqlite() throws Exception {
    String longName = "n".repeat(10_000);
    assertThat(StoredNameReader.read(db("long.sqlite",
        "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO __miniflare_do_name VALUES (0, '" + longName + "')")).outcome())
        .as("a name that overflows its page").isEqualTo(StoredNameReader.Outcome.UNREADABLE);
    assertThat(StoredNameReader.read(db("utf16.sqlite", "PRAGMA encoding = 'UTF-16le'",
        "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO __miniflare_do_name VALUES (0, 'x')")).outcome())
        .isEqualTo(StoredNameReader.Outcome.UNREADABLE);
    Path text = dir.resolve("text.sqlite");
    Files.writeString(text, "not a database");
    assertThat(StoredNameReader.read(text).outcome()).isEqualTo(StoredNameReader.Outcome.UNREADABLE);
    Path truncated = dir.resolve("truncated.sqlite");
    byte[] whole = Files.readAllBytes(db("whole.sqlite", "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO __miniflare_do_name VALUES (0, 'x')"));
    Files.write(truncated, Arrays.copyOf(whole, 150));
    assertThat(StoredNameReader.read(truncated).outcome()).isEqualTo(StoredNameReader.Outcome.UNREADABLE);
  }

  @Test
  void objectNamesFallBackToSqliteAndLeaveNoFilesBehind() throws Exception {
    try (DurableRuntime rt = runtime(dir.resolve("state"))) {
      DurableObjectNamespace ns = rt.namespace("COUNTER");
      Path directory = Files.createDirectories(directory(dir.resolve("state")));
      String longName = "n".repeat(10_000);
      String longId = ns.idFromName(longName).toString();
      db(directory.resolve(longId + ".sqlite"), "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
          "INSERT INTO __miniflare_do_name VALUES (0, '" + longName + "')");
      String walId = ns.idFromName("in the wal").toString();
      Path walFile = directory.resolve(walId + ".sqlite");
      try (Connection open = DriverManager.getConnection("jdbc:sqlite:" + walFile);
          Statement st = open.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA wal_autocheckpoint = 0");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("INSERT INTO __miniflare_do_name VALUES (0, 'in the wal')");
        assertThat(StoredNameReader.read(walFile).outcome()).as("the main file does not have it yet")
            .isEqualTo(StoredNameReader.Outcome.NO_NAME);
        ObjectTools names = rt.tools();
        assertThat(names.nameOf("COUNTER", walId)).hasValue("in the wal");
        assertThat(names.nameOf("COUNTER", longId)).hasValue(longName);
        String forged = ns.idFromName("forged").toString();
        db(directory.resolve(forged + ".sqlite"), "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
            "INSERT INTO __miniflare_do_name VALUES (0, 'not the name of this id')");
        assertThat(names.nameOf("COUNTER", forged)).as("SQLite has the last word on a name that does not derive the id")
            .hasValue("not the name of this id");
      }
      try (Stream<Path> files = Files.list(directory)) {
        assertThat(files.map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith("metadata") && (n.endsWith("-shm") || n.endsWith("-wal"))).toList())
            .as("reading names leaves no WAL or shared-memory files").isEmpty();
      }
    }
  }

  /** What the test object does by RPC. */
  public interface Touch {
    void touch();
  }

  /** An object that stores one entry when touched. */
  public static class Counter extends DurableObject implements Touch {
    public Counter(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public void touch() {
      ctx.storage().put("touched", true);
    }
  }

  private static DurableRuntime runtime(Path state) {
    return DurableRuntime.builder().stateDirectory(state).bind("COUNTER", Counter.class).build();
  }

  private static Path directory(Path state) {
    return state.resolve("do").resolve("app-Counter");
  }

  private static StoredNameReader.Result found(String name) {
    return new StoredNameReader.Result(StoredNameReader.Outcome.FOUND, name);
  }

  private Path db(String name, String... statements) throws Exception {
    return db(dir.resolve(name), statements);
  }

  private static Path db(Path file, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
    return file;
  }
}
