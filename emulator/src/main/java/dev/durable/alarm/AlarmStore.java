package dev.durable.alarm;

import dev.durable.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alarms of one namespace, persisted as Miniflare does in {@code metadata.sqlite}, table
 * {@code _cf_ALARM(actor_id, scheduled_time, actor_name)} with times in epoch milliseconds. Reads
 * come from a copy in memory; writes go to the file first. An in-memory store keeps only the copy:
 * it has nothing to outlive, and opening no database keeps a fresh runtime cheap (the test kit
 * builds one per test).
 */
public final class AlarmStore implements AutoCloseable {
  /** An alarm as stored. */
  public record StoredAlarm(String objectId, Instant scheduledTime, String objectName) {}

  private final Connection connection; // null in memory
  private final Map<String, StoredAlarm> alarms = new ConcurrentHashMap<>();

  /**
   * Opens (creating if needed) the store in the given namespace directory, or in memory.
   *
   * @param fsync whether writes wait for the disk, as for object databases
   */
  public AlarmStore(Path namespaceDirectory, boolean fsync) {
    if (namespaceDirectory == null) {
      connection = null;
      return;
    }
    try {
      Files.createDirectories(namespaceDirectory);
      connection = DriverManager.getConnection("jdbc:sqlite:" + namespaceDirectory.resolve("metadata.sqlite"));
      try (Statement st = connection.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute(fsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
        st.execute("CREATE TABLE IF NOT EXISTS _cf_ALARM (actor_id TEXT PRIMARY KEY,"
            + " scheduled_time INTEGER, actor_name TEXT)");
        try (ResultSet rs = st.executeQuery(
            "SELECT actor_id, scheduled_time, actor_name FROM _cf_ALARM")) {
          while (rs.next()) {
            StoredAlarm a = new StoredAlarm(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                rs.getString(3));
            alarms.put(a.objectId(), a);
          }
        }
      }
    } catch (Exception e) {
      throw new StorageException("Could not open the alarm store in " + namespaceDirectory + ": "
          + e.getMessage(), e);
    }
  }

  /** The alarm of an object, if any. */
  public Optional<StoredAlarm> get(String objectId) {
    return Optional.ofNullable(alarms.get(objectId));
  }

  /** Every stored alarm. */
  public List<StoredAlarm> all() {
    return List.copyOf(alarms.values());
  }

  /** Stores (or replaces) an object's alarm. */
  public synchronized void set(String objectId, Instant time, String objectName) {
    if (connection == null) {
      alarms.put(objectId, new StoredAlarm(objectId, time, objectName));
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT OR REPLACE INTO _cf_ALARM (actor_id, scheduled_time, actor_name) VALUES (?, ?, ?)")) {
      ps.setString(1, objectId);
      ps.setLong(2, time.toEpochMilli());
      ps.setString(3, objectName);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("Could not store the alarm of " + objectId + ": " + e.getMessage(), e);
    }
    alarms.put(objectId, new StoredAlarm(objectId, time, objectName));
  }

  /** Removes an object's alarm. */
  public synchronized void delete(String objectId) {
    if (connection == null) {
      alarms.remove(objectId);
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "DELETE FROM _cf_ALARM WHERE actor_id = ?")) {
      ps.setString(1, objectId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("Could not delete the alarm of " + objectId + ": " + e.getMessage(), e);
    }
    alarms.remove(objectId);
  }

  @Override
  public synchronized void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StorageException("Could not close the alarm store: " + e.getMessage(), e);
    }
  }
}
