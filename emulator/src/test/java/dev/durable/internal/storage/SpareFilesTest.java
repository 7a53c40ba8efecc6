package dev.durable.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpareFilesTest {
  @TempDir
  Path dir;

  private final String a = "a".repeat(64);
  private final String b = "b".repeat(64);

  @Test
  void theNextDatabaseToOpenReusesTheFilesOfOneThatClosed() throws Exception {
    SpareFiles spares = new SpareFiles(dir);
    ObjectDatabase first = database(spares, a);
    write(first, "k", "from a");
    Object walOfA = fileKey(companion(a, "-wal"));
    assertThat(companion(a, "-shm")).as("the WAL index is in the connection's memory").doesNotExist();
    first.close();

    assertThat(companion(a, "-wal")).as("SQLite removed its WAL as always").doesNotExist();
    assertThat(spareFiles()).hasSize(1);

    ObjectDatabase second = database(spares, b);
    write(second, "k", "from b");
    assertThat(fileKey(companion(b, "-wal"))).isEqualTo(walOfA);
    assertThat(spareFiles()).isEmpty();
    second.close();

    assertThat(readWithSqlite(a)).containsExactly("k=from a");
    assertThat(readWithSqlite(b)).containsExactly("k=from b");
  }

  @Test
  void filesAnotherConnectionStillUsesAreNotKept() throws Exception {
    SpareFiles spares = new SpareFiles(dir);
    ObjectDatabase db = new ObjectDatabase(dir.resolve(a + ".sqlite"), null, ObjectDatabase.Tracker.NONE, false,
        spares, false); // shared, so that another connection can read it
    write(db, "k", "1");
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(a + ".sqlite"));
        Statement st = other.createStatement()) {
      st.executeQuery("SELECT count(*) FROM _cf_KV").close();
      db.close();

      assertThat(companion(a, "-wal")).as("SQLite keeps the WAL of a database still open").exists();
      assertThat(spareFiles()).as("a file someone still uses is no spare").isEmpty();
      try (ResultSet rs = st.executeQuery("SELECT CAST(value AS TEXT) FROM _cf_KV WHERE key = 'k'")) {
        assertThat(rs.getString(1)).isEqualTo("1");
      }
    }
  }

  @Test
  void aSpareStillNamedElsewhereIsNeverHandedOut() throws Exception {
    // A crash between taking a spare name and closing leaves a spare that is still a live WAL.
    ObjectDatabase db = database(null, a);
    write(db, "k", "1");
    Files.createDirectories(dir.resolve(SpareFiles.DIRECTORY_NAME));
    Files.createLink(dir.resolve(SpareFiles.DIRECTORY_NAME).resolve("left-by-a-crash-wal"), companion(a, "-wal"));
    Object liveWal = fileKey(companion(a, "-wal"));

    ObjectDatabase other = database(new SpareFiles(dir), b);
    write(other, "k", "2");

    assertThat(fileKey(companion(b, "-wal"))).isNotEqualTo(liveWal);
    assertThat(spareFiles()).as("the doubtful spare was dropped").isEmpty();
    other.close();
    db.close();
    assertThat(readWithSqlite(a)).containsExactly("k=1");
    assertThat(readWithSqlite(b)).containsExactly("k=2");
  }

  @Test
  void aSpareLeftWithContentIsEmptiedBeforeUse() throws Exception {
    // The WAL of another database, valid and full of its commits, left in the spares.
    Path spareDir = Files.createDirectories(dir.resolve(SpareFiles.DIRECTORY_NAME));
    String other = "c".repeat(64);
    leaveCommitInWal(other, "another database's page");
    Files.move(companion(other, "-wal"), spareDir.resolve("old-wal"));
    Files.write(spareDir.resolve("old-shm"), new byte[32768]); // an earlier version kept these

    Object oldWal = fileKey(spareDir.resolve("old-wal"));

    ObjectDatabase db = database(new SpareFiles(dir), a);
    write(db, "k", "v");
    assertThat(fileKey(companion(a, "-wal"))).as("the spare became the WAL").isEqualTo(oldWal);
    assertThat(spareDir.resolve("old-shm")).as("no -shm spares any more").doesNotExist();
    db.close();
    assertThat(readWithSqlite(a)).containsExactly("k=v");
  }

  @Test
  void anExistingWalIsNeverReplaced() throws Exception {
    SpareFiles spares = new SpareFiles(dir);
    ObjectDatabase db = database(spares, b);
    write(db, "k", "spare");
    db.close();
    assertThat(spareFiles()).hasSize(1);

    // A database left with commits only in its WAL (a crash): its WAL must stay its own.
    leaveCommitInWal(a, "in the wal");
    long walSize = Files.size(companion(a, "-wal"));
    assertThat(walSize).isPositive();

    ObjectDatabase reopened = database(spares, a);
    assertThat(reopened.prepare("SELECT CAST(value AS TEXT) FROM _cf_KV WHERE key = 'k'").executeQuery().getString(1))
        .isEqualTo("in the wal");
    reopened.close();
  }

  /** Makes {@code id}'s database with a row that is only in its WAL, as a crash leaves it. */
  private void leaveCommitInWal(String id, String value) throws Exception {
    Path file = dir.resolve(id + ".sqlite");
    Path savedDb = dir.resolve("saved-db");
    Path savedWal = dir.resolve("saved-wal");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.executeQuery("PRAGMA journal_mode = WAL").close();
      st.executeQuery("PRAGMA wal_autocheckpoint = 0").close();
      st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
      st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)").close();
      Files.copy(file, savedDb);
      try (var insert = c.prepareStatement("INSERT INTO _cf_KV VALUES ('k', CAST(? AS BLOB))")) {
        insert.setString(1, value);
        insert.executeUpdate();
      }
      Files.copy(companion(id, "-wal"), savedWal);
    }
    Files.move(savedDb, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(savedWal, companion(id, "-wal"));
  }

  private ObjectDatabase database(SpareFiles spares, String id) {
    return new ObjectDatabase(dir.resolve(id + ".sqlite"), null, ObjectDatabase.Tracker.NONE, false, spares, true);
  }

  private static void write(ObjectDatabase db, String key, String value) throws Exception {
    var ps = db.prepare("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, CAST(? AS BLOB))");
    ps.setString(1, key);
    ps.setString(2, value);
    ps.executeUpdate();
  }

  private List<String> readWithSqlite(String id) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(id + ".sqlite"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key, CAST(value AS TEXT) FROM _cf_KV ORDER BY key")) {
      List<String> rows = new java.util.ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "=" + rs.getString(2));
      }
      try (ResultSet check = st.executeQuery("PRAGMA integrity_check")) {
        assertThat(check.getString(1)).isEqualTo("ok");
      }
      return rows;
    }
  }

  private Path companion(String id, String suffix) {
    return dir.resolve(id + ".sqlite" + suffix);
  }

  private List<Path> spareFiles() throws Exception {
    Path spareDir = dir.resolve(SpareFiles.DIRECTORY_NAME);
    if (!Files.isDirectory(spareDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spareDir)) {
      return files.toList();
    }
  }

  private static Object fileKey(Path p) throws Exception {
    return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }
}
