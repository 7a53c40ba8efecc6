package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.SqlCursor;
import dev.durable.SqlException;
import dev.durable.storage.ObjectStorage;
import dev.durable.storage.sql.SqlStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data studio's view of an object's SQL tables: schemas with row counts, rows paged, sorted
 * and filtered, one row inserted, updated or deleted by its key with typed values, and the query
 * plan of a statement. Reads never wake the object nor create its file; edits run through the
 * object's own SQL API (its refusals included) inside its gate.
 */
final class TableRoutes {
  static final String TAG = "Tables";
  private static final String TABLES = ObjectRoutes.OBJECT + "/tables";
  private static final String ROWS = TABLES + "/{table}/rows";
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final Map<String, String> OPERATORS = Map.of(
      "eq", "=", "ne", "<>", "lt", "<", "le", "<=", "gt", ">", "ge", ">=", "like", "LIKE",
      "glob", "GLOB", "is_null", "IS NULL", "not_null", "IS NOT NULL");

  private static final Pattern OFFSET = Pattern.compile(" at offset (\\d+): SQLITE_");

  private final ObjectAccess access;

  TableRoutes(ObjectAccess access) {
    this.access = access;
  }

  void register(RouteTable t) {
    t.get(TABLES, this::listTables)
        .doc(TAG, "listTables", "Tables and views with columns, primary key, indexes and row counts")
        .list("Table");
    t.get(TABLES + "/{table}", this::getTable)
        .doc(TAG, "getTable", "One table's schema and row count")
        .result("Table");
    t.get(ROWS, this::listRows)
        .doc(TAG, "listRows", "Rows of a table, paged, sorted and filtered")
        .describe("`key` names the columns that address a row in edits: the primary key, else"
            + " the rowid (then included as the first column).")
        .query("limit", "integer", "Rows per page, 1 to 1000 (default 100)")
        .query("offset", "integer", "Rows to skip (default 0)")
        .query("order_by", "string", "A column to sort by (default: the key)")
        .query("direction", "string", "`asc` (default) or `desc`")
        .query("filter_column", "string", "A column to filter on")
        .query("filter_op", "string", "eq (default), ne, lt, le, gt, ge, like, glob, is_null, not_null")
        .query("filter_value", "string", "The value to compare with (SQLite's type affinity applies)")
        .result("RowsPage");
    t.post(ROWS, this::insertRow)
        .doc(TAG, "insertRow", "Insert one row")
        .body("RowInsert")
        .result("RowWrite");
    t.patch(ROWS, this::updateRow)
        .doc(TAG, "updateRow", "Update one row, addressed by its key")
        .body("RowUpdate")
        .result("RowWrite");
    t.delete(ROWS, this::deleteRow)
        .doc(TAG, "deleteRow", "Delete one row, addressed by its key")
        .body("RowDelete")
        .result("RowWrite");
    t.post(ObjectRoutes.OBJECT + "/explain", this::explain)
        .doc(TAG, "explainQuery", "EXPLAIN QUERY PLAN of one statement")
        .body("ExplainRequest")
        .result("QueryPlan");
  }

  private Reply listTables(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    ArrayNode out = access.read(target, view -> {
      Connection c = view.database().connection();
      ArrayNode a = Envelope.NODES.arrayNode();
      for (TableSchema.Table t : TableSchema.tables(c)) {
        a.add(toJson(t, TableSchema.count(c, t)));
      }
      return a;
    });
    return Reply.list(out, Envelope.NODES.objectNode().put("count", out.size()));
  }

  private Reply getTable(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    return Reply.ok(access.read(target, view -> {
      Connection c = view.database().connection();
      TableSchema.Table t = TableSchema.table(c, table);
      return toJson(t, TableSchema.count(c, t));
    }));
  }

  private Reply listRows(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    int limit = call.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
    int offset = call.queryInt("offset", 0, 0, Integer.MAX_VALUE);
    String direction = call.query("direction") == null ? "asc"
        : call.query("direction").toLowerCase(Locale.ROOT);
    if (!direction.equals("asc") && !direction.equals("desc")) {
      throw ApiException.invalid("direction: expected 'asc' or 'desc', got '" + call.query("direction") + "'");
    }
    String op = call.query("filter_op") == null ? "eq" : call.query("filter_op");
    if (!OPERATORS.containsKey(op)) {
      throw ApiException.invalid("filter_op: expected one of eq, ne, lt, le, gt, ge, like, glob,"
          + " is_null, not_null; got '" + op + "'");
    }
    String filterColumn = call.query("filter_column");
    String filterValue = call.query("filter_value");
    String orderBy = call.query("order_by");
    return access.read(target, view -> {
      Connection c = view.database().connection();
      TableSchema.Table t = TableSchema.table(c, table);
      List<String> key = t.key();
      StringBuilder where = new StringBuilder();
      List<Object> args = new ArrayList<>();
      if (filterColumn != null) {
        requireColumn(t, filterColumn, "filter_column");
        where.append(" WHERE ").append(TableSchema.quote(filterColumn)).append(' ').append(OPERATORS.get(op));
        if (!op.endsWith("null")) {
          if (filterValue == null) {
            throw ApiException.invalid("filter_value: required with filter_op=" + op);
          }
          where.append(" ?");
          args.add(filterValue);
        }
      }
      List<String> order = new ArrayList<>();
      if (orderBy != null) {
        requireColumn(t, orderBy, "order_by");
        order.add(TableSchema.quote(orderBy) + " " + direction.toUpperCase(Locale.ROOT));
      }
      for (String k : key) {
        if (!k.equals(orderBy)) {
          order.add(TableSchema.quote(k) + " " + (orderBy == null ? direction.toUpperCase(Locale.ROOT) : "ASC"));
        }
      }
      String select = "SELECT " + (t.keyIsRowid() ? t.rowidAlias() + " AS " + TableSchema.quote(t.rowidAlias()) + ", " : "")
          + "* FROM " + TableSchema.quote(t.name()) + where
          + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order)) + " LIMIT ? OFFSET ?";
      List<Object> pageArgs = new ArrayList<>(args);
      pageArgs.add((long) limit);
      pageArgs.add((long) offset);
      ObjectNode result = Envelope.NODES.objectNode();
      ArrayNode columns = result.putArray("columns");
      ArrayNode rows = result.putArray("rows");
      int count = 0;
      try (PreparedStatement ps = prepare(c, select, pageArgs); ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        while (rs.next()) {
          ArrayNode row = rows.addArray();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.add(SqlValues.toJson(value(rs, i)));
          }
          count++;
        }
      }
      ArrayNode keyNode = result.putArray("key");
      key.forEach(keyNode::add);
      long total;
      try (PreparedStatement ps = prepare(c, "SELECT count(*) FROM " + TableSchema.quote(t.name()) + where, args);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      ObjectNode info = Envelope.NODES.objectNode().put("count", count).put("offset", offset)
          .put("limit", limit).put("total", total);
      return Reply.list(result, info);
    });
  }

  private Reply insertRow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    JsonNode body = call.bodyObject();
    Map<String, Object> values = values(body.get("values"), "values", true);
    return Reply.ok(access.write(target, view -> {
      TableSchema.Table t = editable(view.database().connection(), table);
      values.keySet().forEach(col -> requireColumn(t, col, "values." + col));
      ObjectStorage storage = view.storage();
      return storage.transaction(() -> {
        String sql = values.isEmpty()
            ? "INSERT INTO " + TableSchema.quote(t.name()) + " DEFAULT VALUES"
            : "INSERT INTO " + TableSchema.quote(t.name()) + " (" + String.join(", ",
                values.keySet().stream().map(TableSchema::quote).toList()) + ") VALUES ("
                + String.join(", ", values.keySet().stream().map(k -> "?").toList()) + ")";
        long written = storage.sql().exec(sql, values.values().toArray()).rowsWritten();
        Map<String, Object> key = new LinkedHashMap<>();
        if (t.rowidAlias() == null) {
          for (String k : t.key()) {
            key.put(k, values.get(k));
          }
        } else {
          long rowid = ((Number) storage.sql().exec("SELECT last_insert_rowid() AS id").one()
              .get("id")).longValue();
          key.putAll(storage.sql().exec("SELECT " + keyList(t) + " FROM "
              + TableSchema.quote(t.name()) + " WHERE " + t.rowidAlias() + " = ?", rowid).one());
        }
        return written(storage, t, key, written);
      });
    }));
  }

  private Reply updateRow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    JsonNode body = call.bodyObject();
    Map<String, Object> key = values(body.get("key"), "key", false);
    Map<String, Object> values = values(body.get("values"), "values", false);
    return Reply.ok(access.write(target, view -> {
      TableSchema.Table t = editable(view.database().connection(), table);
      requireKey(t, key);
      values.keySet().forEach(col -> requireColumn(t, col, "values." + col));
      ObjectStorage storage = view.storage();
      return storage.transaction(() -> {
        List<Object> args = new ArrayList<>(values.values());
        args.addAll(key.values());
        String sql = "UPDATE " + TableSchema.quote(t.name()) + " SET " + String.join(", ",
            values.keySet().stream().map(c -> TableSchema.quote(c) + " = ?").toList())
            + " WHERE " + keyCondition(key);
        long written = storage.sql().exec(sql, args.toArray()).rowsWritten();
        checkOneRow(t, key, written);
        Map<String, Object> newKey = new LinkedHashMap<>(key);
        values.forEach((col, v) -> newKey.computeIfPresent(col, (k, old) -> v));
        return written(storage, t, newKey, written);
      });
    }));
  }

  private Reply deleteRow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    JsonNode body = call.bodyObject();
    Map<String, Object> key = values(body.get("key"), "key", false);
    return Reply.ok(access.write(target, view -> {
      TableSchema.Table t = editable(view.database().connection(), table);
      requireKey(t, key);
      ObjectStorage storage = view.storage();
      return storage.transaction(() -> {
        long written = storage.sql().exec("DELETE FROM " + TableSchema.quote(t.name()) + " WHERE "
            + keyCondition(key), key.values().toArray()).rowsWritten();
        checkOneRow(t, key, written);
        ObjectNode o = Envelope.NODES.objectNode();
        o.set("key", toJson(key));
        o.putNull("row");
        o.put("rows_written", written);
        return o;
      });
    }));
  }

  private Reply explain(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    JsonNode body = call.bodyObject();
    JsonNode sqlNode = body.get("sql");
    if (sqlNode == null || !sqlNode.isTextual()) {
      throw ApiException.invalid("sql: Expected string, received " + SqlValues.typeOf(sqlNode));
    }
    List<SqlStatements.Statement> statements = SqlStatements.split(sqlNode.textValue());
    if (statements.size() != 1) {
      throw ApiException.invalid("sql: expected exactly one statement to explain, got " + statements.size());
    }
    Object[] params = params(body.get("params"));
    SqlStatements.Statement statement = statements.get(0);
    String prefix = "EXPLAIN QUERY PLAN ";
    List<Object[]> plan;
    try {
      plan = access.read(target, view -> view.storage().sql().exec(prefix + statement.text(), params).raw());
    } catch (SqlException e) {
      throw new SqlException(shiftOffset(e.getMessage(), statement.offset() - prefix.length()), e.code(), e);
    }
    ArrayNode out = Envelope.NODES.arrayNode();
    for (Object[] step : plan) {
      out.addObject().put("id", ((Number) step[0]).longValue())
          .put("parent", ((Number) step[1]).longValue())
          .put("detail", String.valueOf(step[3]));
    }
    return Reply.ok(out);
  }

  /** Error offsets count from the start of what the user wrote, not of the statement we ran. */
  private static String shiftOffset(String message, int shift) {
    Matcher m = OFFSET.matcher(message);
    if (!m.find()) {
      return message;
    }
    long offset = Math.max(0, Long.parseLong(m.group(1)) + shift);
    return message.substring(0, m.start(1)) + offset + message.substring(m.end(1));
  }

  private static ObjectNode written(ObjectStorage storage, TableSchema.Table t,
      Map<String, Object> key, long written) {
    ObjectNode o = Envelope.NODES.objectNode();
    o.set("key", toJson(key));
    SqlCursor c = storage.sql().exec("SELECT * FROM " + TableSchema.quote(t.name()) + " WHERE "
        + keyCondition(key), key.values().toArray());
    List<Map<String, Object>> rows = c.toList();
    o.set("row", rows.size() == 1 ? toJson(rows.get(0)) : Envelope.NODES.nullNode());
    o.put("rows_written", written);
    return o;
  }

  private static void checkOneRow(TableSchema.Table t, Map<String, Object> key, long written) {
    if (written == 0) {
      throw ApiException.notFound("No row of table '" + t.name() + "' has key " + toJson(key));
    }
    if (written > 1) {
      throw ApiException.invalid("Key " + toJson(key) + " matches " + written + " rows of table '"
          + t.name() + "' (NULL key values); nothing was changed");
    }
  }

  private static TableSchema.Table editable(Connection c, String table) throws SQLException {
    TableSchema.Table t = TableSchema.table(c, table);
    if (!t.isEditable()) {
      throw ApiException.invalid("'" + table + "' is a " + t.type() + (t.key().isEmpty()
          ? " without a key" : "") + "; rows can be edited only in tables (use the query route)");
    }
    return t;
  }

  private static void requireColumn(TableSchema.Table t, String column, String field) {
    if (!t.hasColumn(column) && !column.equals(t.rowidAlias())) {
      throw ApiException.invalid(field + ": table '" + t.name() + "' has no column '" + column
          + "'; columns: " + String.join(", ", t.columns().stream().map(TableSchema.Column::name).toList()));
    }
  }

  private static void requireKey(TableSchema.Table t, Map<String, Object> key) {
    if (!key.keySet().equals(new java.util.HashSet<>(t.key()))) {
      throw ApiException.invalid("key: table '" + t.name() + "' addresses rows by "
          + t.key() + ", got " + key.keySet());
    }
  }

  private static String keyCondition(Map<String, Object> key) {
    return String.join(" AND ", key.keySet().stream().map(k -> TableSchema.quote(k) + " IS ?").toList());
  }

  private static String keyList(TableSchema.Table t) {
    return String.join(", ", t.key().stream()
        .map(k -> t.keyIsRowid() ? k + " AS " + TableSchema.quote(k) : TableSchema.quote(k)).toList());
  }

  /** A JSON object of column names to typed values, in order. */
  private static Map<String, Object> values(JsonNode node, String field, boolean mayBeEmpty) {
    if (node == null || node.isNull()) {
      if (mayBeEmpty) {
        return Map.of();
      }
      throw ApiException.invalid(field + ": Required");
    }
    if (!node.isObject()) {
      throw ApiException.invalid(field + ": expected an object of column names to values, got "
          + SqlValues.describe(node));
    }
    if (node.isEmpty() && !mayBeEmpty) {
      throw ApiException.invalid(field + ": must name at least one column");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), SqlValues.fromJson(e.getValue(), field + "." + e.getKey()));
    }
    return out;
  }

  static Object[] params(JsonNode node) {
    if (node == null || node.isNull()) {
      return new Object[0];
    }
    if (!node.isArray()) {
      throw ApiException.invalid("params: Expected array, received " + SqlValues.typeOf(node));
    }
    Object[] out = new Object[node.size()];
    for (int i = 0; i < node.size(); i++) {
      out[i] = SqlValues.fromJson(node.get(i), "params." + i);
    }
    return out;
  }

  private static ObjectNode toJson(Map<String, Object> row) {
    ObjectNode o = Envelope.NODES.objectNode();
    row.forEach((k, v) -> o.set(k, SqlValues.toJson(v)));
    return o;
  }

  static ObjectNode toJson(TableSchema.Table t, long rows) {
    ObjectNode o = Envelope.NODES.objectNode();
    o.put("name", t.name());
    o.put("type", t.type());
    ArrayNode columns = o.putArray("columns");
    for (TableSchema.Column c : t.columns()) {
      ObjectNode col = columns.addObject().put("name", c.name()).put("type", c.type())
          .put("not_null", c.notNull());
      if (c.defaultValue() == null) {
        col.putNull("default");
      } else {
        col.put("default", c.defaultValue());
      }
      col.put("primary_key_position", c.pk()).put("generated", c.generated());
    }
    ArrayNode pk = o.putArray("primary_key");
    t.columns().stream().filter(c -> c.pk() > 0)
        .sorted(java.util.Comparator.comparingInt(TableSchema.Column::pk))
        .forEach(c -> pk.add(c.name()));
    ArrayNode key = o.putArray("key");
    t.key().forEach(key::add);
    ArrayNode indexes = o.putArray("indexes");
    for (TableSchema.Index ix : t.indexes()) {
      ObjectNode i = indexes.addObject().put("name", ix.name()).put("unique", ix.unique())
          .put("origin", ix.origin()).put("partial", ix.partial());
      ArrayNode cols = i.putArray("columns");
      ix.columns().forEach(cols::add);
    }
    o.put("without_rowid", t.withoutRowid());
    o.put("strict", t.strict());
    o.put("rows", rows);
    o.put("sql", t.sql());
    return o;
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      Object v = args.get(i);
      if (v instanceof Long l) {
        ps.setLong(i + 1, l);
      } else {
        ps.setString(i + 1, (String) v);
      }
    }
    return ps;
  }

  /** A column value as the runtime's SQL API returns it (INTEGER as Long). */
  static Object value(ResultSet rs, int column) throws SQLException {
    Object v = rs.getObject(column);
    return v instanceof Integer i ? Long.valueOf(i) : v;
  }
}
