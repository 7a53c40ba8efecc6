package dev.durable.internal.storage;

import dev.durable.DurableObjectStorage;
import dev.durable.ListOptions;
import dev.durable.SqlStorage;
import dev.durable.runtime.ObjectTools;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * {@link DurableObjectStorage} over one object's {@link ObjectDatabase}. Every call first checks
 * it runs inside the object's own event and joins that event's transaction.
 */
public final class ObjectStorage implements DurableObjectStorage, TurnParticipant {
  private final ObjectDatabase db;
  private final TurnGuard guard;
  private final AlarmSlot alarm;
  private final KeyValueStore kv;
  private final SqlExecutor sql;
  private Runnable afterDeleteAll = () -> {};

  /** Storage for one object. */
  public ObjectStorage(ObjectDatabase db, TurnGuard guard, AlarmSlot alarm) {
    this.db = db;
    this.guard = guard;
    this.alarm = alarm;
    this.kv = new KeyValueStore(db);
    this.sql = new SqlExecutor(db, guard);
  }

  @Override
  public <T> Optional<T> get(String key, Class<T> type) {
    guard.check();
    return kv.get(key, type);
  }

  @Override
  public Optional<Object> get(String key) {
    return get(key, Object.class);
  }

  @Override
  public <T> SortedMap<String, T> get(Collection<String> keys, Class<T> type) {
    guard.check();
    return kv.get(keys, type);
  }

  @Override
  public void put(String key, Object value) {
    guard.check();
    kv.put(key, value);
  }

  @Override
  public void put(Map<String, ?> entries) {
    guard.check();
    atomically(() -> {
      kv.put(entries);
      return null;
    });
  }

  @Override
  public boolean delete(String key) {
    guard.check();
    return kv.delete(key);
  }

  @Override
  public int delete(Collection<String> keys) {
    guard.check();
    return atomically(() -> kv.delete(keys));
  }

  @Override
  public <T> SortedMap<String, T> list(ListOptions options, Class<T> type) {
    guard.check();
    return kv.list(options, type);
  }

  @Override
  public SortedMap<String, Object> list(ListOptions options) {
    return list(options, Object.class);
  }

  @Override
  public void deleteAll() {
    guard.check();
    atomically(() -> {
      kv.deleteAllKeys();
      dropUserSchema();
      alarm.delete();
      return null;
    });
    afterDeleteAll.run();
  }

  /**
   * Runs an action after each {@link #deleteAll()} that succeeded: the runtime deletes the
   * object's facets with it (their files are not part of this object's transaction).
   */
  public void onDeleteAll(Runnable action) {
    this.afterDeleteAll = action;
  }

  @Override
  public <T> T transaction(TransactionBody<T> body) {
    guard.check();
    if (body == null) {
      throw new IllegalArgumentException("transaction() body must not be null");
    }
    return atomically(body);
  }

  @Override
  public void sync() {
    guard.check();
    kv.flush();
  }

  @Override
  public SqlStorage sql() {
    return sql;
  }

  @Override
  public Optional<Instant> getAlarm() {
    guard.check();
    return alarm.get();
  }

  @Override
  public void setAlarm(Instant scheduledTime) {
    guard.check();
    alarm.set(scheduledTime);
  }

  @Override
  public void deleteAlarm() {
    guard.check();
    alarm.delete();
  }

  /** Entries as stored (values as bytes), for tools. */
  public List<ObjectTools.Entry> storedEntries(ListOptions options) {
    guard.check();
    return kv.stored(options == null ? ListOptions.all() : options);
  }

  /** One entry's stored bytes, for tools. */
  public Optional<byte[]> storedValue(String key) {
    guard.check();
    return Optional.ofNullable(kv.storedValue(key));
  }

  /** Writes an entry's stored bytes as given, for tools; the object's reads see them at once. */
  public void putStoredValue(String key, byte[] value) {
    guard.check();
    kv.putStoredValue(key, value);
  }

  /** How many key-value entries are stored. */
  public long entryCount() {
    guard.check();
    return kv.count();
  }

  /** The turn holding the gate ended: write or drop its buffered key-value writes. */
  @Override
  public void endTurn(boolean keep) {
    kv.endTurn(keep);
  }

  /** Whether finished turns' writes wait to be written at the batch's commit. */
  @Override
  public boolean hasUncommitted() {
    return kv.hasBufferedWrites();
  }

  /**
   * Writes finished turns' buffered writes into the batch transaction (or, for an object with
   * no file yet, into its new file), just before the database commits.
   */
  @Override
  public void commit() {
    kv.writeBatchBeforeCommit();
  }

  /** Forgets cached values after the database was rolled back (failed commit, reset). */
  @Override
  public void rollback() {
    kv.forgetCache();
  }

  /** Runs the body in a savepoint: all of its writes and alarm changes, or none. */
  private <T> T atomically(TransactionBody<T> body) {
    Object alarmMark = alarm.mark();
    kv.flush();
    try {
      return db.inSavepoint(() -> {
        T r = body.run();
        kv.flush();
        return r;
      });
    } catch (Throwable e) {
      alarm.rollbackTo(alarmMark);
      kv.forgetCache();
      throw e;
    }
  }

  /** Drops user tables, views and triggers, leaving the internal tables. */
  private void dropUserSchema() {
    try (Statement st = db.connection().createStatement()) {
      st.execute("PRAGMA defer_foreign_keys = ON");
      List<String> drops = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT type, name FROM pragma_table_list"
          + " WHERE schema = 'main' AND type IN ('table', 'view', 'virtual')"
          + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
          + " AND name NOT IN ('_cf_KV', '__miniflare_do_name')"
          + " ORDER BY type = 'view' DESC, type = 'virtual' DESC")) {
        while (rs.next()) {
          String keyword = rs.getString(1).equals("view") ? "VIEW" : "TABLE";
          drops.add("DROP " + keyword + " IF EXISTS \"" + rs.getString(2).replace("\"", "\"\"") + "\"");
        }
      }
      for (String drop : drops) {
        st.execute(drop);
      }
    } catch (SQLException e) {
      throw new StorageException("deleteAll() could not drop tables: " + e.getMessage(), e);
    }
  }
}
