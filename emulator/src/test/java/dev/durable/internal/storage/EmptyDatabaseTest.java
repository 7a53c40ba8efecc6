package dev.durable.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmptyDatabaseTest {
  @TempDir
  Path dir;

  /** Names around every boundary of the record's layout: varint widths and the page's room. */
  private static final List<String> NAMES = List.of("", "a", "room-42", "ünïcödé 🙂 名前", "x".repeat(57),
      "x".repeat(58), "x".repeat(1000), "é".repeat(2028), "x".repeat(4057), "x".repeat(4058), "x".repeat(10_000));

  @Test
  void aNameWrittenIntoTheCopyIsTheFileSqliteWritesForTheSameInsert() throws Exception {
    int i = 0;
    for (String name : NAMES) {
      Path bySqlite = dir.resolve("sqlite-" + i + ".sqlite");
      Path byCopy = dir.resolve("copy-" + i + ".sqlite");
      i++;
      assertThat(EmptyDatabase.createAt(bySqlite, null, false)).isFalse();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + bySqlite);
          PreparedStatement ps = c.prepareStatement("INSERT INTO __miniflare_do_name (id, name) VALUES (0, ?)");
          Statement st = c.createStatement()) {
        ps.setString(1, name);
        ps.executeUpdate();
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      boolean named = EmptyDatabase.createAt(byCopy, name, false);
      int length = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertThat(named).as("a name of %d bytes fits in the page: %s", length, length <= 4057)
          .isEqualTo(length <= 4057);
      if (!named) {
        continue;
      }
      byte[] expected = Files.readAllBytes(bySqlite);
      byte[] actual = Files.readAllBytes(byCopy);
      // The header's change counter and the version valid for it move with every transaction.
      for (byte[] b : List.of(expected, actual)) {
        Arrays.fill(b, 24, 28, (byte) 0);
        Arrays.fill(b, 92, 96, (byte) 0);
      }
      assertThat(actual).as("the file for a name of %d bytes", length).isEqualTo(expected);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + byCopy);
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
          assertThat(rs.getString(1)).isEqualTo("ok");
        }
        try (ResultSet rs = st.executeQuery("SELECT id, name FROM __miniflare_do_name")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isZero();
          assertThat(rs.getString(2)).isEqualTo(name);
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  @Test
  void aFreshObjectWithANameTooLongForThePageIsNamedBySql() throws Exception {
    String name = "n".repeat(5000);
    Path file = dir.resolve("long.sqlite");
    ObjectDatabase db = new ObjectDatabase(file, name, ObjectDatabase.Tracker.NONE, false);
    db.connection();
    db.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM __miniflare_do_name WHERE id = 0")) {
      assertThat(rs.getString(1)).isEqualTo(name);
    }
  }

  /** Rows whose records cross the varint widths and the most an index cell keeps in the page. */
  @Test
  void rowsWrittenIntoTheCopyAreTheFileSqliteWritesForTheSameInserts() throws Exception {
    List<Map<String, byte[]>> cases = List.of(
        rows("count", "1"),
        rows("b", "2", "a", "1", "c", "3"),
        rows("", "\"empty key\"", "ünïcödé 🙂", "[1,2,3]", "Z", "{}", "z", "{}", "aa", "0", "a", "0"),
        rows("k".repeat(60), "v".repeat(60)),
        rows("k", "v".repeat(997)), // payload 1002: the most an index cell keeps in a 4096-byte page
        rows("k", "v".repeat(998)), // 1003: SQLite spills it to an overflow page
        rows("k".repeat(3000), "1"));
    int i = 0;
    for (Map<String, byte[]> rows : cases) {
      for (String name : new String[] {null, "room-" + i}) {
        Path byCopy = dir.resolve("rows-copy-" + i + "-" + (name != null) + ".sqlite");
        Path bySqlite = dir.resolve("rows-sqlite-" + i + "-" + (name != null) + ".sqlite");
        boolean written = EmptyDatabase.createWithRows(byCopy, name, rows, false);
        int pages = insertWithSqlite(bySqlite, name, rows);
        boolean onePage = pages == Files.size(dir.resolve("template-check.sqlite")) / 4096;
        assertThat(written).as("case %d: rows that fit in the table's page are written", i).isEqualTo(onePage);
        if (written) {
          assertSameDatabase(byCopy, bySqlite);
        } else {
          assertThat(byCopy).doesNotExist();
        }
      }
      i++;
    }
  }

  @Test
  void rowsFillingThePageExactlyAreWrittenAndOneMoreIsLeftToSqlite() throws Exception {
    for (int valueLength : new int[] {1, 7, 100, 400}) {
      Map<String, byte[]> rows = new LinkedHashMap<>();
      int n = 0;
      while (true) {
        rows.put(String.format("key-%05d", 99_999 - n), "x".repeat(valueLength).getBytes(StandardCharsets.UTF_8));
        Path byCopy = dir.resolve("full-copy-" + valueLength + "-" + n + ".sqlite");
        Path bySqlite = dir.resolve("full-sqlite-" + valueLength + "-" + n + ".sqlite");
        boolean written = EmptyDatabase.createWithRows(byCopy, "full", rows, false);
        int pages = insertWithSqlite(bySqlite, "full", rows);
        long templatePages = Files.size(dir.resolve("template-check.sqlite")) / 4096;
        if (!written) {
          assertThat(pages).as("%d rows of %d bytes: SQLite needed another page", n + 1, valueLength)
              .isGreaterThan((int) templatePages);
          assertThat(n).as("at least one row of %d bytes fitted", valueLength).isPositive();
          break;
        }
        assertThat(pages).isEqualTo((int) templatePages);
        assertSameDatabase(byCopy, bySqlite);
        n++;
      }
    }
  }

  @Test
  void aNewFileIsWrittenUnderATemporaryNameAndNeverReplacesOne() throws Exception {
    Path file = dir.resolve("sub/dir/object.sqlite");
    assertThat(EmptyDatabase.createWithRows(file, "a", rows("k", "1"), true)).isTrue();
    assertThat(file).exists();
    assertThat(dir.resolve("sub/dir/object.sqlite" + EmptyDatabase.TEMPORARY_SUFFIX)).doesNotExist();
    byte[] before = Files.readAllBytes(file);
    // A leftover of a crash under the temporary name is overwritten; an existing file is not.
    Files.write(dir.resolve("sub/dir/object.sqlite" + EmptyDatabase.TEMPORARY_SUFFIX), new byte[] {1, 2, 3});
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> EmptyDatabase.createWithRows(file, "a", rows("k", "2"), false))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(dir.resolve("sub/dir/object.sqlite" + EmptyDatabase.TEMPORARY_SUFFIX)).doesNotExist();
  }

  /** Keys and values given as text, in the order given. */
  private static Map<String, byte[]> rows(String... keysAndValues) {
    Map<String, byte[]> rows = new LinkedHashMap<>();
    for (int k = 0; k < keysAndValues.length; k += 2) {
      rows.put(keysAndValues[k], keysAndValues[k + 1].getBytes(StandardCharsets.UTF_8));
    }
    return rows;
  }

  /**
   * The empty database (named) with the rows inserted by SQLite in one transaction, as the
   * runtime's batch does, checkpointed; returns its page count.
   */
  private int insertWithSqlite(Path file, String name, Map<String, byte[]> rows) throws Exception {
    Path template = dir.resolve("template-check.sqlite");
    if (!Files.exists(template)) {
      EmptyDatabase.createAt(template, null, false);
    }
    EmptyDatabase.createAt(file, null, false);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("BEGIN");
      if (name != null) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO __miniflare_do_name (id, name) VALUES (0, ?)")) {
          ps.setString(1, name);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)")) {
        for (Map.Entry<String, byte[]> row : rows.entrySet()) {
          ps.setString(1, row.getKey());
          ps.setBytes(2, row.getValue());
          ps.executeUpdate();
        }
      }
      st.execute("COMMIT");
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return (int) (Files.size(file) / 4096);
  }

  private static void assertSameDatabase(Path actualFile, Path expectedFile) throws Exception {
    byte[] expected = Files.readAllBytes(expectedFile);
    byte[] actual = Files.readAllBytes(actualFile);
    for (byte[] b : List.of(expected, actual)) {
      Arrays.fill(b, 24, 28, (byte) 0);
      Arrays.fill(b, 92, 96, (byte) 0);
    }
    assertThat(actual).as("%s against %s", actualFile.getFileName(), expectedFile.getFileName()).isEqualTo(expected);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + actualFile);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }
}
