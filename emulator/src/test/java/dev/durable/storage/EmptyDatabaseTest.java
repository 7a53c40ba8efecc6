package dev.durable.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
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
      assertThat(EmptyDatabase.createAt(bySqlite, null)).isFalse();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + bySqlite);
          PreparedStatement ps = c.prepareStatement("INSERT INTO __miniflare_do_name (id, name) VALUES (0, ?)");
          Statement st = c.createStatement()) {
        ps.setString(1, name);
        ps.executeUpdate();
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      boolean named = EmptyDatabase.createAt(byCopy, name);
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
}
