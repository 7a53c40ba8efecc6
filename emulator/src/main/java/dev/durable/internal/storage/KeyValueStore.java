package dev.durable.internal.storage;

import dev.durable.DurableObjectStorage;
import dev.durable.ListOptions;
import dev.durable.internal.json.Json;
import dev.durable.runtime.ObjectTools;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The key-value half of an object's storage: the {@code _cf_KV} table, fronted by a cache of
 * what the table holds and a buffer of the current turn's writes.
 *
 * <p>As in Cloudflare's actor cache, reads of known keys do not reach SQLite, and writes are
 * coalesced: a turn's puts and deletes stay in its buffer; when the turn succeeds they join the
 * batch's buffer (the last write of a key wins), which is written just before the batch commits.
 * A failing turn drops its buffer, so a key-value-only turn needs no savepoint, and a busy object
 * writes a hot key once per commit, not once per turn. Anything that reads the table directly
 * (list, SQL savepoints) first writes the buffers out. An object without a file has an empty
 * table: its reads need no SQLite, and its first commit of small puts writes the file whole.
 */
final class KeyValueStore {
  /** Marks a key known to be absent (in the cache) or deleted (in the turn buffer). */
  private static final byte[] ABSENT = new byte[0];
  private static final int CACHE_ENTRIES = 4096;
  private static final int CACHE_VALUE_BYTES = 64 * 1024;

  private final ObjectDatabase db;
  private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };
  private final Map<String, byte[]> pending = new LinkedHashMap<>();
  private final Map<String, byte[]> batchPending = new LinkedHashMap<>();
  private boolean flushedThisTurn;

  KeyValueStore(ObjectDatabase db) {
    this.db = db;
    db.beforeTurnSavepoint(this::writeBatch);
  }

  /** Whether writes of finished turns wait in the batch buffer. */
  boolean hasBufferedWrites() {
    return !batchPending.isEmpty();
  }

  /**
   * Writes the batch buffer into the open transaction (opening it if needed): before a commit,
   * and before a turn's savepoint so that a rollback of that turn cannot undo earlier turns.
   */
  void writeBatch() {
    if (batchPending.isEmpty()) {
      return;
    }
    db.beginBatch();
    write(batchPending);
  }

  /**
   * Writes the batch buffer just before the batch commits. A database whose file does not exist
   * yet gets it with the buffered puts already in it, without opening SQLite (deletes of keys an
   * empty table does not hold write nothing); when they do not fit in a page, as
   * {@link #writeBatch()}.
   */
  void writeBatchBeforeCommit() {
    if (batchPending.isEmpty() || !db.isUncreated()) {
      writeBatch();
      return;
    }
    Map<String, byte[]> rows = new LinkedHashMap<>();
    batchPending.forEach((key, value) -> {
      if (value != ABSENT) {
        rows.put(key, value);
      }
    });
    if (!rows.isEmpty() && !db.createWithRows(rows)) {
      writeBatch();
      return;
    }
    batchPending.forEach(this::remember);
    batchPending.clear();
  }

  /**
   * Writes the turn's buffered writes to the table before something reads it directly; they go
   * inside the turn's savepoint, so a failing turn still undoes them.
   */
  void flush() {
    writeBatch();
    if (!pending.isEmpty()) {
      db.beginTurn();
      flushedThisTurn = true;
      write(pending);
    }
  }

  private void write(Map<String, byte[]> buffer) {
    for (Map.Entry<String, byte[]> e : buffer.entrySet()) {
      write(e.getKey(), e.getValue());
      remember(e.getKey(), e.getValue());
    }
    buffer.clear();
  }

  /** The turn ended: its writes go to the database, or are dropped. */
  void endTurn(boolean keep) {
    if (keep) {
      batchPending.putAll(pending);
    } else if (flushedThisTurn) {
      cache.clear(); // the savepoint rollback undid writes the cache had seen
    }
    pending.clear();
    flushedThisTurn = false;
  }

  /** The database was rolled back past what the cache knows (a failed commit, a reset). */
  void forgetCache() {
    pending.clear();
    batchPending.clear();
    cache.clear();
  }

  <T> Optional<T> get(String key, Class<T> type) {
    checkKey(key);
    byte[] raw = lookup(key);
    return raw == null ? Optional.empty() : Optional.of(decode(key, raw, type));
  }

  <T> SortedMap<String, T> get(Collection<String> keys, Class<T> type) {
    checkBatch("get", keys);
    SortedMap<String, T> result = new TreeMap<>(KeyOrder.ASCENDING);
    for (String key : keys) {
      byte[] raw = lookup(key);
      if (raw != null) {
        result.put(key, decode(key, raw, type));
      }
    }
    return result;
  }

  void put(String key, Object value) {
    pending.put(key, encode(key, value));
  }

  /** Encodes every entry before writing any, so a bad value writes nothing. */
  void put(Map<String, ?> entries) {
    if (entries == null) {
      throw new IllegalArgumentException("put() entries must not be null");
    }
    checkBatch("put", entries.keySet());
    Map<String, byte[]> encoded = new LinkedHashMap<>();
    entries.forEach((k, v) -> encoded.put(k, encode(k, v)));
    pending.putAll(encoded);
  }

  boolean delete(String key) {
    checkKey(key);
    boolean existed = lookup(key) != null;
    pending.put(key, ABSENT);
    return existed;
  }

  int delete(Collection<String> keys) {
    checkBatch("delete", keys);
    int count = 0;
    for (String key : keys) {
      if (delete(key)) {
        count++;
      }
    }
    return count;
  }

  <T> SortedMap<String, T> list(ListOptions options, Class<T> type) {
    ListOptions o = options == null ? ListOptions.all() : options;
    SortedMap<String, T> result = new TreeMap<>(o.reverse() ? KeyOrder.DESCENDING : KeyOrder.ASCENDING);
    for (ObjectTools.Entry e : stored(o)) {
      result.put(e.key(), decode(e.key(), e.value(), type));
    }
    return result;
  }

  /** The entries as stored, in the order asked for, after the turn's writes. */
  List<ObjectTools.Entry> stored(ListOptions o) {
    if (o.start() != null && o.startAfter() != null) {
      throw new IllegalArgumentException("list() cannot be called with both start and startAfter values.");
    }
    if (o.limit() != null && o.limit() <= 0) {
      throw new IllegalArgumentException("List limit must be positive.");
    }
    StringBuilder sql = new StringBuilder("SELECT key, value FROM _cf_KV WHERE 1");
    List<String> args = new ArrayList<>();
    bound(sql, args, " AND key >= ?", o.start());
    bound(sql, args, " AND key > ?", o.startAfter());
    bound(sql, args, " AND key < ?", o.end());
    if (o.prefix() != null && !o.prefix().isEmpty()) {
      bound(sql, args, " AND key >= ?", o.prefix());
      bound(sql, args, " AND key < ?", KeyOrder.prefixUpperBound(o.prefix()));
    }
    sql.append(o.reverse() ? " ORDER BY key DESC" : " ORDER BY key");
    if (o.limit() != null) {
      sql.append(" LIMIT ").append(o.limit());
    }
    List<ObjectTools.Entry> result = new ArrayList<>();
    flush();
    try {
      PreparedStatement ps = db.prepare(sql.toString());
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new ObjectTools.Entry(rs.getString(1), rs.getBytes(2)));
        }
      }
    } catch (SQLException e) {
      throw new StorageException("list() failed: " + e.getMessage(), e);
    }
    return result;
  }

  /** Adds a condition on the key to a query, unless its value is null. */
  private static void bound(StringBuilder sql, List<String> args, String condition, String value) {
    if (value != null) {
      sql.append(condition);
      args.add(value);
    }
  }

  /** The stored bytes of a key, after the turn's writes. */
  byte[] storedValue(String key) {
    flush();
    return read(key);
  }

  /**
   * Writes a key's stored bytes as given, inside the turn's savepoint, after the writes buffered
   * before it; a rollback of the turn forgets the cache, as for any write made in the savepoint.
   */
  void putStoredValue(String key, byte[] value) {
    checkKey(key);
    pending.put(key, value);
    flush();
  }

  /** How many entries the table holds, after the turn's writes. */
  long count() {
    flush();
    if (db.isUncreated()) {
      return 0;
    }
    try (ResultSet rs = db.prepare("SELECT count(*) FROM _cf_KV").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("Counting the key-value entries failed: " + e.getMessage(), e);
    }
  }

  void deleteAllKeys() {
    pending.clear();
    db.beginTurn();
    cache.clear();
    try {
      db.prepare("DELETE FROM _cf_KV").executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("deleteAll() failed: " + e.getMessage(), e);
    }
  }

  /** The value the turn sees: its own writes, then the cache, then the table. */
  private byte[] lookup(String key) {
    byte[] v = pending.get(key);
    if (v == null) {
      v = batchPending.get(key);
    }
    if (v == null) {
      v = cache.get(key);
    }
    if (v == null) {
      v = read(key);
      remember(key, v == null ? ABSENT : v);
    }
    return v == ABSENT ? null : v;
  }

  private void remember(String key, byte[] value) {
    if (value.length <= CACHE_VALUE_BYTES) {
      cache.put(key, value);
    } else {
      cache.remove(key);
    }
  }

  private byte[] read(String key) {
    if (db.isUncreated()) {
      return null; // no file yet: an empty table, and no need to open one to know it
    }
    try {
      PreparedStatement ps = db.prepare("SELECT value FROM _cf_KV WHERE key = ?");
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw new StorageException("get('" + key + "') failed: " + e.getMessage(), e);
    }
  }

  /** Writes a key's row, or deletes it when the value is {@link #ABSENT}. */
  private void write(String key, byte[] value) {
    boolean delete = value == ABSENT;
    try {
      PreparedStatement ps = db.prepare(delete ? "DELETE FROM _cf_KV WHERE key = ?"
          : "INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)");
      ps.setString(1, key);
      if (!delete) {
        ps.setBytes(2, value);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException((delete ? "delete('" : "put('") + key + "') failed: "
          + e.getMessage(), e);
    }
  }

  private static byte[] encode(String key, Object value) {
    checkKey(key);
    if (value == null) {
      throw new IllegalArgumentException("put() value for key '" + abbreviate(key)
          + "' must not be null; use delete() to remove a key");
    }
    byte[] bytes = Json.toBytes(value);
    long size = (long) key.getBytes(StandardCharsets.UTF_8).length + bytes.length;
    if (size > DurableObjectStorage.MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException("Key '" + abbreviate(key) + "' and its value are " + size
          + " bytes; key plus value may be at most " + DurableObjectStorage.MAX_ENTRY_BYTES
          + " bytes (2 MiB)");
    }
    return bytes;
  }

  private static <T> T decode(String key, byte[] raw, Class<T> type) {
    try {
      return Json.fromBytes(raw, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Value of key '" + abbreviate(key) + "' cannot be read as "
          + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static void checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("Storage key must not be null");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > DurableObjectStorage.MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException("Storage key is longer than 2 MiB");
    }
  }

  private static void checkBatch(String op, Collection<String> keys) {
    if (keys == null) {
      throw new IllegalArgumentException(op + "() keys must not be null");
    }
    if (keys.size() > DurableObjectStorage.MAX_KEYS_PER_BATCH) {
      throw new IllegalArgumentException(op + "() was called with " + keys.size()
          + " keys; at most " + DurableObjectStorage.MAX_KEYS_PER_BATCH + " keys per call");
    }
    for (String key : keys) {
      checkKey(key);
    }
  }

  static String abbreviate(String key) {
    return key.length() <= 64 ? key : key.substring(0, 61) + "...";
  }
}
