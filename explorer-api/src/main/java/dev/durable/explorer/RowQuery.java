package dev.durable.explorer;

import dev.durable.runtime.ObjectTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A page of rows as asked for in the query string: paging, sort and one simple filter. Checked
 * before the object is visited; the columns are checked against the table once it is read.
 */
record RowQuery(int limit, int offset, String orderBy, String direction, String filterColumn,
    String operator, String filterValue) {
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final Map<String, String> OPERATORS = Map.of(
      "eq", "=", "ne", "<>", "lt", "<", "le", "<=", "gt", ">", "ge", ">=", "like", "LIKE",
      "glob", "GLOB", "is_null", "IS NULL", "not_null", "IS NOT NULL");

  /** A statement and its arguments. */
  record Sql(String text, List<Object> args) {}

  static RowQuery from(ApiCall call) {
    int limit = call.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
    int offset = call.queryInt("offset", 0, 0, Integer.MAX_VALUE);
    String raw = call.query("direction");
    String direction = raw == null ? "ASC" : raw.toUpperCase(Locale.ROOT);
    if (!direction.equals("ASC") && !direction.equals("DESC")) {
      throw ApiException.invalid("direction: expected 'asc' or 'desc', got '" + raw + "'");
    }
    String op = call.query("filter_op") == null ? "eq" : call.query("filter_op");
    if (!OPERATORS.containsKey(op)) {
      throw ApiException.invalid("filter_op: expected one of eq, ne, lt, le, gt, ge, like, glob,"
          + " is_null, not_null; got '" + op + "'");
    }
    String filterColumn = call.query("filter_column");
    String filterValue = call.query("filter_value");
    if (filterColumn != null && filterValue == null && !op.endsWith("null")) {
      throw ApiException.invalid("filter_value: required with filter_op=" + op);
    }
    return new RowQuery(limit, offset, call.query("order_by"), direction, filterColumn, op, filterValue);
  }

  /**
   * The page: ordered by the sort column, then by the key (so pages are stable), with the rowid
   * first when it is the key.
   */
  Sql page(ObjectTools.Table t) {
    Sql where = where(t);
    List<String> order = new ArrayList<>();
    if (orderBy != null) {
      TableSchema.requireColumn(t, orderBy, "order_by");
      order.add(TableSchema.quote(orderBy) + " " + direction);
    }
    for (String k : t.key()) {
      if (!k.equals(orderBy)) {
        order.add(TableSchema.quote(k) + " " + (orderBy == null ? direction : "ASC"));
      }
    }
    String rowid = t.keyIsRowid() ? t.rowidAlias() + " AS " + TableSchema.quote(t.rowidAlias()) + ", " : "";
    List<Object> args = new ArrayList<>(where.args());
    args.add((long) limit);
    args.add((long) offset);
    return new Sql("SELECT " + rowid + "* FROM " + TableSchema.quote(t.name()) + where.text()
        + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order)) + " LIMIT ? OFFSET ?", args);
  }

  /** How many rows match the filter over all pages. */
  Sql count(ObjectTools.Table t) {
    Sql where = where(t);
    return new Sql("SELECT count(*) FROM " + TableSchema.quote(t.name()) + where.text(), where.args());
  }

  private Sql where(ObjectTools.Table t) {
    if (filterColumn == null) {
      return new Sql("", List.of());
    }
    TableSchema.requireColumn(t, filterColumn, "filter_column");
    String test = " WHERE " + TableSchema.quote(filterColumn) + " " + OPERATORS.get(operator);
    return operator.endsWith("null") ? new Sql(test, List.of()) : new Sql(test + " ?", List.of(filterValue));
  }
}
