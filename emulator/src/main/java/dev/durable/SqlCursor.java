package dev.durable;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link SqlStorage#exec}. Rows are maps from column name to value: Long for
 * INTEGER, Double for REAL, String for TEXT, byte[] for BLOB, null for NULL. Iterating consumes
 * rows, as with Cloudflare's cursor; {@link #toList()} returns the rows not yet consumed.
 */
public interface SqlCursor extends Iterator<Map<String, Object>>, Iterable<Map<String, Object>> {
  /** The remaining rows. */
  List<Map<String, Object>> toList();

  /**
   * The one row of the result; fails with Cloudflare's message when there are none or several.
   */
  Map<String, Object> one();

  /** The remaining rows as arrays of values in column order. */
  List<Object[]> raw();

  /** The result's column names, in order. */
  List<String> columnNames();

  /** Rows read by the statements run so far. */
  long rowsRead();

  /** Rows written (inserted, updated or deleted) by the statements run. */
  long rowsWritten();

  @Override
  default Iterator<Map<String, Object>> iterator() {
    return this;
  }
}
