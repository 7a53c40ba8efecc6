package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.SqlException;
import dev.durable.internal.storage.sql.SqlStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
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
  static final String TABLES = ObjectRoutes.OBJECT + "/tables";
  private static final String ROWS = TABLES + "/{table}/rows";

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
    RowQuery query = RowQuery.from(call);
    return access.read(target, view -> {
      Connection c = view.database().connection();
      TableSchema.Table t = TableSchema.table(c, table);
      ObjectNode result = Envelope.NODES.objectNode();
      ArrayNode columns = result.putArray("columns");
      ArrayNode rows = result.putArray("rows");
      try (PreparedStatement ps = prepare(c, query.page(t)); ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        while (rs.next()) {
          ArrayNode row = rows.addArray();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.add(SqlValues.toJson(value(rs, i)));
          }
        }
      }
      ArrayNode key = result.putArray("key");
      t.key().forEach(key::add);
      long total;
      try (PreparedStatement ps = prepare(c, query.count(t)); ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      return Reply.list(result, Envelope.NODES.objectNode().put("count", rows.size())
          .put("offset", query.offset()).put("limit", query.limit()).put("total", total));
    });
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

  private static PreparedStatement prepare(Connection c, RowQuery.Sql sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql.text());
    List<Object> args = sql.args();
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
