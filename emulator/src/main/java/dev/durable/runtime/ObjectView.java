package dev.durable.runtime;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectStorage;
import dev.durable.ListOptions;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One object as a tool's visit sees it, inside the object's input gate (see
 * {@link ObjectTools#visit}): its storage, its tables, its key-value entries as stored bytes.
 * Usable only during the visit. Reads of an object that has no storage see an empty one.
 */
public interface ObjectView {
  /** The object's id, with its name when known. */
  DurableObjectId id();

  /** Whether the object has storage (a database file, or in memory a database). */
  boolean stored();

  /** Whether the object's instance is live in memory. */
  boolean live();

  /** The object's storage as its own events see it: key-value, SQL (with its refusals), alarm. */
  DurableObjectStorage storage();

  /** The user tables and views, by name (the runtime's own tables are not shown). */
  List<ObjectTools.Table> tables();

  /** The number of rows of a table or view. */
  long rowCount(ObjectTools.Table table);

  /** Reads every row of a table in key order: all columns, or only stored (not generated) ones. */
  void readRows(ObjectTools.Table table, boolean storedColumnsOnly, RowReader reader) throws Exception;

  /** The statements that create the indexes, triggers and views of these tables, in creation order. */
  List<String> schemaAfterTables(Collection<String> tables);

  /**
   * The query plan of one statement (IllegalArgumentException for more or none), through the
   * object's SQL API; an error's offset counts from the start of {@code sql}.
   */
  List<ObjectTools.PlanStep> queryPlan(String sql, Object... params);

  /** How many key-value entries the object holds. */
  long entryCount();

  /** Key-value entries as stored, chosen and ordered as {@code list()} does. */
  List<ObjectTools.Entry> entries(ListOptions options);

  /** SQL that recreates the key-value entries where this runtime keeps them (for exports). */
  List<String> entriesAsSql();

  /** The stored bytes of one entry. */
  Optional<byte[]> value(String key);

  /** Writes an entry's stored bytes as given (not encoded); the object reads them from now on. */
  void putValue(String key, byte[] value);

  /** Bytes of the database file and its WAL on disk (0 in memory or without a file). */
  long fileBytes();

  /** Copies the database, as this visit sees it, to a SQLite file. */
  void copyDatabaseTo(Path file);

  /** Receives a table's rows. */
  interface RowReader {
    /** The result's column names, before any row. */
    void columns(List<String> names) throws Exception;

    /** One row's values (INTEGER as Long, REAL as Double, TEXT, BLOB as byte[], or null). */
    void row(Object[] values) throws Exception;
  }
}
