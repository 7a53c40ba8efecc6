package dev.durable.explorer;

import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The names of objects, learnt without waking them: from a handle in memory made by name, else
 * from the object's file ({@code __miniflare_do_name}, read by {@link StoredNameReader}, or by
 * SQLite when the name may still be in the WAL). A name never changes for an id, so names found
 * are cached; an object without a name may get one later, so absence is not cached.
 */
final class ObjectNames {
  private static final Logger log = LoggerFactory.getLogger(ObjectNames.class);
  private final Map<String, Map<String, String>> cache = new ConcurrentHashMap<>();

  /** The name of the object with this id, if it has one. */
  Optional<String> nameOf(ObjectNamespace ns, String id, ObjectHandle inMemory) {
    Map<String, String> known = cache.computeIfAbsent(ns.namespaceId(), k -> new ConcurrentHashMap<>());
    String name = known.get(id);
    if (name != null) {
      return Optional.of(name);
    }
    if (inMemory != null && inMemory.id().name().isPresent()) {
      name = inMemory.id().name().get();
    } else if (ns.directory() != null) {
      // An open object database is locked by its connection (exclusive locking mode): only the
      // file's own pages can be read then, and a name still in its WAL shows once it closes.
      boolean open = inMemory != null && inMemory.database().isOpen();
      name = fromFile(ns, id, ns.directory().resolve(id + ".sqlite"), open);
    }
    if (name != null) {
      known.put(id, name);
    }
    return Optional.ofNullable(name);
  }

  private static String fromFile(ObjectNamespace ns, String id, Path file, boolean open) {
    StoredNameReader.Result r = StoredNameReader.read(file);
    if (r.outcome() == StoredNameReader.Outcome.FOUND && derivesId(ns, r.name(), id)) {
      return r.name();
    }
    if (open || r.outcome() == StoredNameReader.Outcome.NO_NAME && !hasWal(file)) {
      return null;
    }
    return Files.exists(file) ? fromSqlite(file) : null;
  }

  /** Whether the name derives the id; a name read from a page being rewritten never does. */
  private static boolean derivesId(ObjectNamespace ns, String name, String id) {
    return ns.idFromName(name).toString().equals(id);
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
    try (Connection c = config.createConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      try (ResultSet t = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table'"
          + " AND name = '__miniflare_do_name'")) {
        if (!t.next()) {
          return null;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT name FROM __miniflare_do_name ORDER BY id LIMIT 1")) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      // The object still lists, by id; its name shows once the file can be read.
      log.warn("Could not read the name of the object in {}: {}", file, e.getMessage());
      return null;
    }
  }
}
