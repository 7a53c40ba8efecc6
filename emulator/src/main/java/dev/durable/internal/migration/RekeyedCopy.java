package dev.durable.internal.migration;

import dev.durable.internal.runtime.IdDerivation;
import dev.durable.internal.storage.SpareFiles;
import dev.durable.internal.storage.tools.StoredNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies the state directory of one namespace into another directory, re-keyed for a new
 * namespace id: ids are derived per namespace, so each object file is renamed to the id its
 * name (from {@code __miniflare_do_name}) has in the new namespace, or, for an object without a
 * name, to its 16 random bytes with the new namespace's MAC; the {@code _cf_ALARM} rows of
 * {@code metadata.sqlite} follow. The source directory is only read: every database is opened
 * as a copy, which also folds a leftover WAL into it.
 */
final class RekeyedCopy {
  private static final String[] DATABASE_COMPANIONS = {"-wal", "-journal"};
  /** What an object's directory of facets is called after its id (as the runtime names it). */
  private static final String FACETS = ".facets";

  private final IdDerivation oldIds;
  private final IdDerivation newIds;
  private final List<String> warnings;
  private final Map<String, String> newIdByOld = new HashMap<>();

  RekeyedCopy(String oldNamespaceId, String newNamespaceId, List<String> warnings) {
    this.oldIds = new IdDerivation(oldNamespaceId);
    this.newIds = new IdDerivation(newNamespaceId);
    this.warnings = warnings;
  }

  /** Copies {@code from} into the new directory {@code to}; returns the number of objects. */
  int copy(Path from, Path to) throws IOException, SQLException {
    Files.createDirectories(to);
    List<Path> entries;
    try (Stream<Path> list = Files.list(from)) {
      entries = list.sorted().toList();
    }
    Path metadata = null;
    List<Path> facets = new ArrayList<>();
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (isObjectFile(name)) {
        copyObject(entry, name.substring(0, 64), to);
      } else if (name.equals("metadata.sqlite")) {
        metadata = entry;
      } else if (name.endsWith(FACETS) && Files.isDirectory(entry)) {
        facets.add(entry);
      } else if (!isCompanion(from, name) && !name.equals(SpareFiles.DIRECTORY_NAME)) {
        copyTree(entry, to.resolve(name));
      }
    }
    // An object's facets follow it to its new id; their own ids do not depend on its class.
    for (Path dir : facets) {
      String name = dir.getFileName().toString();
      String oldId = name.substring(0, name.length() - FACETS.length());
      String newId = newIdByOld.get(oldId);
      if (newId == null) {
        warnings.add(name + " belongs to no object of the namespace; it is copied unchanged");
      }
      copyTree(dir, to.resolve(newId == null ? name : newId + FACETS));
    }
    if (metadata != null) {
      Path copy = to.resolve("metadata.sqlite");
      withCompanions(metadata, copy, Files::copy);
      rekeyAlarms(copy);
    }
    return newIdByOld.size();
  }

  private void copyObject(Path file, String oldId, Path to) throws IOException, SQLException {
    Path work = to.resolve("rekey-" + oldId + ".sqlite");
    withCompanions(file, work, Files::copy);
    String name;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work)) {
      name = StoredNames.read(c);
      checkpoint(c);
    } catch (SQLException e) {
      throw new SQLException(file.getFileName() + " could not be read as a SQLite database: "
          + e.getMessage(), e);
    }
    String newId = newId(oldId, name, file.getFileName().toString());
    if (newIdByOld.containsValue(newId)) {
      throw new IOException("two objects would get the same id " + newId + " (the second is "
          + file.getFileName() + ")");
    }
    newIdByOld.put(oldId, newId);
    withCompanions(work, to.resolve(newId + ".sqlite"), Files::move);
    Files.deleteIfExists(work.resolveSibling(work.getFileName() + "-shm"));
  }

  private String newId(String oldId, String name, String what) {
    if (name != null) {
      if (oldIds.fromName(name).toString().equals(oldId)) {
        return newIds.fromName(name).toString();
      }
      warnings.add(what + " records the name \"" + name + "\", which is not the name of its id;"
          + " it keeps its id's random part instead");
    } else if (!oldIds.isValid(oldId)) {
      warnings.add(what + " does not have an id of its namespace; it keeps its id's first half");
    }
    return newIds.reissue(oldId).toString();
  }

  private void rekeyAlarms(Path metadata) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + metadata)) {
      // The list of objects whose facets have alarms names old ids: without it, the next start
      // reads every object's facets and makes the list again.
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS _durable_FACET_ALARM_OWNER");
      }
      if (!hasTable(c, "_cf_ALARM")) {
        return;
      }
      record Row(String id, long time, String name) {}
      List<Row> rows = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT actor_id, scheduled_time, actor_name FROM _cf_ALARM")) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3)));
        }
      }
      boolean retries = hasTable(c, "_durable_ALARM_RETRY"); // not in a Miniflare store
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
          PreparedStatement insert = c.prepareStatement(
              "INSERT INTO _cf_ALARM (actor_id, scheduled_time, actor_name) VALUES (?, ?, ?)");
          PreparedStatement retry = retries ? c.prepareStatement(
              "UPDATE _durable_ALARM_RETRY SET actor_id = ? WHERE actor_id = ?") : null) {
        st.execute("DELETE FROM _cf_ALARM");
        for (Row row : rows) {
          String id = alarmId(row.id(), row.name());
          insert.setString(1, id);
          insert.setLong(2, row.time());
          insert.setString(3, row.name());
          insert.executeUpdate();
          if (retry != null) { // an alarm being retried keeps its count
            retry.setString(1, id);
            retry.setString(2, row.id());
            retry.executeUpdate();
          }
        }
      }
      c.commit();
      c.setAutoCommit(true);
      checkpoint(c);
    }
  }

  private String alarmId(String oldId, String name) {
    String mapped = newIdByOld.get(oldId);
    if (mapped != null) {
      return mapped;
    }
    if (!isObjectFile(oldId + ".sqlite")) {
      warnings.add("the alarm of \"" + oldId + "\" does not have a valid id; it is copied unchanged");
      return oldId;
    }
    return name != null ? newIds.fromName(name).toString() : newIds.reissue(oldId).toString();
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Folds the WAL into the database file, so that file alone is the whole database. */
  private static void checkpoint(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  static boolean isObjectFile(String name) {
    return name.length() == 64 + ".sqlite".length() && name.endsWith(".sqlite")
        && name.substring(0, 64).chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
  }

  /** A WAL, shared-memory or journal file of a database in the same directory. */
  private static boolean isCompanion(Path dir, String name) {
    return Stream.of("-wal", "-shm", "-journal").anyMatch(suffix -> name.endsWith(suffix)
        && Files.exists(dir.resolve(name.substring(0, name.length() - suffix.length()))));
  }

  private interface FileAction {
    void apply(Path from, Path to) throws IOException;
  }

  /** Copies or moves a database file and its WAL and journal, where they exist. */
  private static void withCompanions(Path from, Path to, FileAction action) throws IOException {
    action.apply(from, to);
    for (String suffix : DATABASE_COMPANIONS) {
      Path companion = from.resolveSibling(from.getFileName() + suffix);
      if (Files.exists(companion)) {
        action.apply(companion, to.resolveSibling(to.getFileName() + suffix));
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
