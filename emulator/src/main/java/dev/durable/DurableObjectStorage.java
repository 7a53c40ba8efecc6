package dev.durable;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An object's private, transactional storage: a sorted key-value map, a SQL database and one
 * alarm, all in the object's SQLite file.
 *
 * <p>Values cross by value as JSON: what {@link #get} returns is a fresh copy, and changing it
 * does not change storage. Writes made during one event are committed together before the
 * event's response (or any outgoing call) is released. Errors follow Cloudflare's: for example
 * {@code list()} with both {@code start} and {@code startAfter} is refused, and so is a batch of
 * more than 128 keys or a key plus value over 2 MiB.
 */
public interface DurableObjectStorage {
  /** Most keys one batch call ({@code get}, {@code put}, {@code delete}) may take. */
  int MAX_KEYS_PER_BATCH = 128;

  /** Largest key plus serialized value, in bytes. */
  int MAX_ENTRY_BYTES = 2 * 1024 * 1024;

  /** The value of a key read as the given type, or empty when the key is absent. */
  <T> Optional<T> get(String key, Class<T> type);

  /** The value of a key as plain JSON types (Map, List, String, Long/Integer, Double, Boolean). */
  Optional<Object> get(String key);

  /** The present keys among those given, sorted, each value read as the given type. */
  <T> SortedMap<String, T> get(Collection<String> keys, Class<T> type);

  /** Stores a value (any Jackson-serializable object) under a key, replacing any earlier one. */
  void put(String key, Object value);

  /** Stores several entries in one step. */
  void put(Map<String, ?> entries);

  /** Removes a key; true when it was present. */
  boolean delete(String key);

  /** Removes keys; the number that were present. */
  int delete(Collection<String> keys);

  /** Entries selected by the options, sorted by key (descending when reversed). */
  <T> SortedMap<String, T> list(ListOptions options, Class<T> type);

  /** Entries selected by the options, values as plain JSON types. */
  SortedMap<String, Object> list(ListOptions options);

  /** Every entry, values as plain JSON types. */
  default SortedMap<String, Object> list() {
    return list(ListOptions.all());
  }

  /** Removes every key, every SQL table and the alarm. */
  void deleteAll();

  /**
   * Runs the body atomically: if it throws, its writes (and only its) are rolled back and the
   * exception is rethrown. Transactions nest.
   */
  <T> T transaction(TransactionBody<T> body);

  /** Commits this event's writes now; returns when they are durable. */
  void sync();

  /** The SQL API over the same database. */
  SqlStorage sql();

  /** When the alarm is set to fire, or empty when there is none. */
  Optional<Instant> getAlarm();

  /**
   * Sets (or replaces) the object's one alarm. A time in the past fires at once; a time at or
   * before the epoch is an error, and so is a class that does not override
   * {@link DurableObject#alarm(AlarmInfo)}.
   */
  void setAlarm(Instant scheduledTime);

  /** Cancels the alarm, if any. */
  void deleteAlarm();

  /** The body of a {@link #transaction} call. */
  @FunctionalInterface
  interface TransactionBody<T> {
    /** Runs inside the transaction. */
    T run() throws Exception;
  }
}
