package dev.durable.internal.storage.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * An object's name as its file stores it ({@code __miniflare_do_name}), read without waking the
 * object: by {@link StoredNameReader}, or by SQLite when the name may still be in the WAL or the
 * reader cannot vouch for what it read.
 */
public final class StoredNames {
  private static final Logger log = LoggerFactory.getLogger(StoredNames.class);

  private StoredNames() {}

  /**
   * The name stored in an object's file, or null.
   *
   * @param open whether the object's own connection holds the file open (exclusive locking
   *     mode): only the file's own pages can be read then, and a name still in its WAL shows once
   *     it closes
   * @param derivesId whether a name derives the object's id; a name read from a page being
   *     rewritten never does, and is then asked of SQLite
   */
  public static String read(Path file, boolean open, Predicate<String> derivesId) {
    StoredNameReader.Result r = StoredNameReader.read(file);
    if (r.outcome() == StoredNameReader.Outcome.FOUND && derivesId.test(r.name())) {
      return r.name();
    }
    if (open || r.outcome() == StoredNameReader.Outcome.NO_NAME && !hasWal(file)) {
      return null;
    }
    return Files.exists(file) ? fromSqlite(file) : null;
  }

  private static boolean hasWal(Path file) {
    try {
      Path wal = file.resolveSibling(file.getFileName() + "-wal");
      return Files.exists(wal) && Files.size(wal) > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Asks SQLite. The connection may write (never create): a read-only one would leave
   * {@code -wal} and {@code -shm} files behind, while a writable one removes them on close.
   */
  private static String fromSqlite(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setBusyTimeout(2_000);
    try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
      return read(c);
    } catch (SQLException e) {
      // The object still lists, by id; its name shows once the file can be read.
      log.warn("Could not read the name of the object in {}: {}", file, e.getMessage());
      return null;
    }
  }

  /** The name recorded in an open database (the row with the lowest id), or null. */
  public static String read(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      try (ResultSet t = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table'"
          + " AND name = '__miniflare_do_name'")) {
        if (!t.next()) {
          return null;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT name FROM __miniflare_do_name ORDER BY id LIMIT 1")) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
