package dev.durable.internal.storage;

import dev.durable.SqlCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** A fully read result: statements finish inside the call, so no cursor outlives a turn. */
final class ResultCursor implements SqlCursor {
  private final List<String> columns;
  private final List<Object[]> rows;
  private final long rowsRead;
  private final long rowsWritten;
  private int next;

  ResultCursor(List<String> columns, List<Object[]> rows, long rowsRead, long rowsWritten) {
    this.columns = List.copyOf(columns);
    this.rows = rows;
    this.rowsRead = rowsRead;
    this.rowsWritten = rowsWritten;
  }

  @Override
  public boolean hasNext() {
    return next < rows.size();
  }

  @Override
  public Map<String, Object> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("No more rows");
    }
    return asMap(rows.get(next++));
  }

  @Override
  public List<Map<String, Object>> toList() {
    List<Map<String, Object>> out = new ArrayList<>(rows.size() - next);
    forEachRemaining(out::add);
    return out;
  }

  @Override
  public Map<String, Object> one() {
    if (!hasNext()) {
      throw new IllegalStateException("Expected exactly one result from SQL query, but got no results.");
    }
    if (rows.size() - next > 1) {
      throw new IllegalStateException(
          "Expected exactly one result from SQL query, but got multiple results.");
    }
    return next();
  }

  @Override
  public List<Object[]> raw() {
    List<Object[]> out = new ArrayList<>(rows.size() - next);
    while (hasNext()) {
      out.add(rows.get(next++).clone());
    }
    return out;
  }

  @Override
  public List<String> columnNames() {
    return columns;
  }

  @Override
  public long rowsRead() {
    return rowsRead;
  }

  @Override
  public long rowsWritten() {
    return rowsWritten;
  }

  /** The rows not yet consumed, shared (for building a combined cursor). */
  List<Object[]> rawRows() {
    return rows.subList(next, rows.size());
  }

  private Map<String, Object> asMap(Object[] row) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Object v = row[i];
      map.put(columns.get(i), v instanceof byte[] b ? b.clone() : v);
    }
    return map;
  }
}
