package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.runtime.DurableRuntime;
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
    try (DurableRuntime rt = ExplorerServer.runtime(dir).build()) {
      ObjectNamespace ns = rt.namespace("NOTES");
      ns.getByName("from runtime", TestObjects.NotesApi.class).add("x");
      rt.evictAll();
      Path file = ns.directory().resolve(ns.idFromName("from runtime") + ".sqlite");
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
    try (DurableRuntime rt = ExplorerServer.runtime(dir.resolve("state")).build()) {
      ObjectNamespace ns = rt.namespace("NOTES");
      Files.createDirectories(ns.directory());
      String longName = "n".repeat(10_000);
      String longId = ns.idFromName(longName).toString();
      db(ns.directory().resolve(longId + ".sqlite"), "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
          "INSERT INTO __miniflare_do_name VALUES (0, '" + longName + "')");
      String walId = ns.idFromName("in the wal").toString();
      Path walFile = ns.directory().resolve(walId + ".sqlite");
      try (Connection open = DriverManager.getConnection("jdbc:sqlite:" + walFile);
          Statement st = open.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA wal_autocheckpoint = 0");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("INSERT INTO __miniflare_do_name VALUES (0, 'in the wal')");
        assertThat(StoredNameReader.read(walFile).outcome()).as("the main file does not have it yet")
            .isEqualTo(StoredNameReader.Outcome.NO_NAME);
        ObjectNames names = new ObjectNames();
        assertThat(names.nameOf(ns, walId, null)).hasValue("in the wal");
        assertThat(names.nameOf(ns, longId, null)).hasValue(longName);
        String forged = ns.idFromName("forged").toString();
        db(ns.directory().resolve(forged + ".sqlite"), "CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)",
            "INSERT INTO __miniflare_do_name VALUES (0, 'not the name of this id')");
        assertThat(names.nameOf(ns, forged, null)).as("SQLite has the last word on a name that does not derive the id")
            .hasValue("not the name of this id");
      }
      try (Stream<Path> files = Files.list(ns.directory())) {
        assertThat(files.map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith("metadata") && (n.endsWith("-shm") || n.endsWith("-wal"))).toList())
            .as("reading names leaves no WAL or shared-memory files").isEmpty();
      }
    }
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
