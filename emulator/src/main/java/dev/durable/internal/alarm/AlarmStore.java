package dev.durable.internal.alarm;

import dev.durable.internal.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alarms of one namespace, persisted as Miniflare does in {@code metadata.sqlite}, table
 * {@code _cf_ALARM(actor_id, scheduled_time, actor_name)} with times in epoch milliseconds. Reads
 * come from a copy in memory; writes go to the file first. An in-memory store keeps only the copy:
 * it has nothing to outlive, and opening no database keeps a fresh runtime cheap (the test kit
 * builds one per test).
 *
 * <p>Miniflare keeps an alarm's retry count in memory only. We keep it beside, in table
 * {@code _durable_ALARM_RETRY(actor_id, scheduled_time, retry_count)}: the retry count the next
 * delivery of the alarm set for {@code scheduled_time} gets. A delivery records itself there
 * before the handler runs ({@link #beginAttempt}), so a handler cut off by a crash of the process
 * runs again after the restart as a retry, and a retry keeps its count across restarts. A row
 * whose time is not the alarm's is stale and ignored.
 *
 * <p>A namespace's store also lists, in table {@code _durable_FACET_ALARM_OWNER(owner_id)}, the
 * objects whose facets have (or had) an alarm, so that start-up reads only their facets' stores
 * (see {@link #facetOwners}). An object is listed before its facets' first alarm is written.
 */
public final class AlarmStore implements AutoCloseable {
  /** An alarm as stored. */
  public record StoredAlarm(String objectId, Instant scheduledTime, String objectName) {}

  private record Retry(Instant scheduledTime, int count) {}

  private static final String CREATE_OWNERS =
      "CREATE TABLE IF NOT EXISTS _durable_FACET_ALARM_OWNER (owner_id TEXT PRIMARY KEY)";

  private final Path directory; // null in memory
  private final boolean fsync;
  private Connection connection; // opened with the first alarm, or at start when the file exists
  private final Map<String, StoredAlarm> alarms = new ConcurrentHashMap<>();
  private final Map<String, Retry> retries = new ConcurrentHashMap<>();
  /** The owner table's rows; null while not known (no file, or one written before the table). */
  private Set<String> facetOwners;

  /**
   * Opens (creating if needed) the store in the given namespace directory, or in memory.
   *
   * @param fsync whether writes wait for the disk, as for object databases
   */
  public AlarmStore(Path namespaceDirectory, boolean fsync) {
    this.directory = namespaceDirectory;
    this.fsync = fsync;
    // A namespace not used yet gets no file until it is (see materialize()): creating a WAL
    // database costs several syncs, once per namespace at every start.
    if (namespaceDirectory != null && Files.exists(namespaceDirectory.resolve("metadata.sqlite"))) {
      open();
    }
  }

  /**
   * Creates {@code metadata.sqlite} if it does not exist yet, as Miniflare's layout has it beside
   * every namespace's objects. Called when the namespace's first object file is made, rather than
   * for every namespace at start-up.
   */
  public synchronized void materialize() {
    if (directory != null && connection == null) {
      open();
    }
  }

  private void open() {
    try {
      Files.createDirectories(directory);
      connection = DriverManager.getConnection("jdbc:sqlite:"
          + directory.resolve("metadata.sqlite"));
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
        st.execute("CREATE TABLE IF NOT EXISTS _durable_ALARM_RETRY (actor_id TEXT PRIMARY KEY,"
            + " scheduled_time INTEGER NOT NULL, retry_count INTEGER NOT NULL)");
        try (ResultSet rs = st.executeQuery(
            "SELECT actor_id, scheduled_time, retry_count FROM _durable_ALARM_RETRY")) {
          while (rs.next()) {
            retries.put(rs.getString(1), new Retry(Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3)));
          }
        }
        if (facetOwners != null) { // settled at start-up: a file made since gets the list too
          st.execute(CREATE_OWNERS);
        }
      }
    } catch (Exception e) {
      throw new StorageException("Could not open the alarm store in " + directory + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The owner list, read from the file the first time it is asked for (start-up), not at every
   * open: facets' own stores never have one. Null while there is no list.
   */
  private Set<String> knownFacetOwners() {
    if (facetOwners != null || connection == null) {
      return facetOwners;
    }
    try (Statement st = connection.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master"
          + " WHERE type = 'table' AND name = '_durable_FACET_ALARM_OWNER'")) {
        if (!rs.next() || rs.getInt(1) == 0) {
          return null;
        }
      }
      Set<String> owners = new HashSet<>();
      try (ResultSet rs = st.executeQuery("SELECT owner_id FROM _durable_FACET_ALARM_OWNER")) {
        while (rs.next()) {
          owners.add(rs.getString(1));
        }
      }
      facetOwners = owners;
      return owners;
    } catch (SQLException e) {
      throw new StorageException("Could not read the objects whose facets have alarms in "
          + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * The objects listed as having facets with alarms; empty when the store has no list (no file,
   * or one written before the list), and then any object's facets may hold one.
   */
  public synchronized Optional<Set<String>> facetOwners() {
    return Optional.ofNullable(knownFacetOwners()).map(Set::copyOf);
  }

  /**
   * Lists an object before its facets' alarm is written, so start-up reads their store. Without a
   * list this writes nothing: the next start reads every object's facets and makes the list.
   */
  public synchronized void addFacetOwner(String ownerId) {
    Set<String> known = knownFacetOwners();
    if (known == null || known.contains(ownerId)) {
      return;
    }
    inTransaction("list the facets of " + ownerId + " as having an alarm", () ->
        update("INSERT OR IGNORE INTO _durable_FACET_ALARM_OWNER (owner_id) VALUES (?)", ownerId));
    facetOwners.add(ownerId);
  }

  /**
   * Makes the list exactly {@code owners}, written only when it changes (and a file for it only
   * when it is not empty). Only start-up calls this, after reading the facets' stores and before
   * any alarm can fire: a facet setting its first alarm meanwhile could lose its owner's entry.
   */
  public synchronized void replaceFacetOwners(Set<String> owners) {
    if (!owners.equals(facetOwners) && (connection != null || !owners.isEmpty())) {
      inTransaction("list the objects whose facets have alarms", () -> {
        update(CREATE_OWNERS);
        update("DELETE FROM _durable_FACET_ALARM_OWNER");
        for (String ownerId : owners) {
          update("INSERT INTO _durable_FACET_ALARM_OWNER (owner_id) VALUES (?)", ownerId);
        }
      });
    }
    facetOwners = new HashSet<>(owners);
  }

  /** The alarm of an object, if any. */
  public Optional<StoredAlarm> get(String objectId) {
    return Optional.ofNullable(alarms.get(objectId));
  }

  /** Every stored alarm. */
  public List<StoredAlarm> all() {
    return List.copyOf(alarms.values());
  }

  /**
   * The retry count the next delivery of an object's stored alarm gets: 0 for a fresh alarm, n
   * after n failed or interrupted deliveries.
   */
  public int retryCount(String objectId) {
    StoredAlarm alarm = alarms.get(objectId);
    Retry retry = retries.get(objectId);
    return alarm != null && retry != null && retry.scheduledTime().equals(alarm.scheduledTime())
        ? retry.count() : 0;
  }

  /** Stores (or replaces) an object's alarm with the retry count its delivery will get. */
  public synchronized void set(String objectId, Instant time, String objectName, int retryCount) {
    inTransaction("store the alarm of " + objectId, () -> {
      update("INSERT OR REPLACE INTO _cf_ALARM (actor_id, scheduled_time, actor_name)"
          + " VALUES (?, ?, ?)", objectId, time.toEpochMilli(), objectName);
      writeRetry(objectId, time, retryCount);
    });
    alarms.put(objectId, new StoredAlarm(objectId, time, objectName));
    putRetry(objectId, time, retryCount);
  }

  /**
   * Records that a delivery of the alarm set for {@code scheduledTime} is starting with
   * {@code retryCount}: should the process die before the delivery ends, the alarm is delivered
   * again after the restart with {@code retryCount + 1}. Written before the handler runs.
   */
  public synchronized void beginAttempt(String objectId, Instant scheduledTime, int retryCount) {
    inTransaction("record the delivery of the alarm of " + objectId,
        () -> writeRetry(objectId, scheduledTime, retryCount + 1));
    putRetry(objectId, scheduledTime, retryCount + 1);
  }

  /** Removes an object's alarm. */
  public synchronized void delete(String objectId) {
    if (!alarms.containsKey(objectId) && !retries.containsKey(objectId)) {
      return; // the maps hold every stored row: nothing to delete, no file to open for it
    }
    inTransaction("delete the alarm of " + objectId, () -> {
      update("DELETE FROM _cf_ALARM WHERE actor_id = ?", objectId);
      update("DELETE FROM _durable_ALARM_RETRY WHERE actor_id = ?", objectId);
    });
    alarms.remove(objectId);
    retries.remove(objectId);
  }

  private void writeRetry(String objectId, Instant time, int retryCount) throws SQLException {
    if (retryCount == 0) {
      update("DELETE FROM _durable_ALARM_RETRY WHERE actor_id = ?", objectId);
    } else {
      update("INSERT OR REPLACE INTO _durable_ALARM_RETRY (actor_id, scheduled_time, retry_count)"
          + " VALUES (?, ?, ?)", objectId, time.toEpochMilli(), retryCount);
    }
  }

  private void update(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      ps.executeUpdate();
    }
  }

  private void putRetry(String objectId, Instant time, int retryCount) {
    if (retryCount == 0) {
      retries.remove(objectId);
    } else {
      retries.put(objectId, new Retry(time, retryCount));
    }
  }

  private interface SqlWork {
    void run() throws SQLException;
  }

  /** Runs the statements as one transaction: a crash keeps all of them or none. */
  private void inTransaction(String what, SqlWork work) {
    if (directory == null) {
      return; // in memory: the maps are the store
    }
    if (connection == null) {
      open();
    }
    try {
      connection.setAutoCommit(false);
      try {
        work.run();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("Could not " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Releases the file (its connection, WAL and index); the maps keep every stored alarm, and the
   * next write opens the file again. Also what the runtime's close does.
   */
  @Override
  public synchronized void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StorageException("Could not close the alarm store: " + e.getMessage(), e);
    } finally {
      connection = null; // a store whose file was deleted opens a new one when written again
    }
  }
}
