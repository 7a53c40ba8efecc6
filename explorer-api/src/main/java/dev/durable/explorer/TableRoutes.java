package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.SqlCursor;
import dev.durable.runtime.ObjectTools;
import java.util.List;

/**
 * The data studio's view of an object's SQL tables: schemas with row counts, rows paged, sorted
 * and filtered, one row inserted, updated or deleted by its key with typed values, and the query
 * plan of a statement. Reads never wake the object nor create its file; edits run through the
 * object's own SQL API (its refusals included) inside its gate.
 */
record TableRoutes(ObjectAccess access) {
  static final String TAG = "Tables";
  static final String TABLES = ObjectRoutes.OBJECT + "/tables";
  private static final String ROWS = TABLES + "/{table}/rows";

  void register(RouteTable t) {
    t.add("GET", TABLES, this::listTables)
        .doc(TAG, "listTables", "Tables and views with columns, primary key, indexes and row counts")
        .list("Table");
    t.add("GET", TABLES + "/{table}", this::getTable)
        .doc(TAG, "getTable", "One table's schema and row count")
        .result("Table");
    t.add("GET", ROWS, this::listRows)
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
    t.add("POST", ObjectRoutes.OBJECT + "/explain", this::explain)
        .doc(TAG, "explainQuery", "EXPLAIN QUERY PLAN of one statement")
        .body("ExplainRequest")
        .result("QueryPlan");
  }

  private Reply listTables(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    ArrayNode out = access.read(target, view -> {
      ArrayNode a = Envelope.NODES.arrayNode();
      for (ObjectTools.Table t : view.tables()) {
        a.add(toJson(t, view.rowCount(t)));
      }
      return a;
    });
    return Reply.list(out, Envelope.NODES.objectNode().put("count", out.size()));
  }

  private Reply getTable(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    return Reply.ok(access.read(target, view -> {
      ObjectTools.Table t = TableSchema.table(view, table);
      return toJson(t, view.rowCount(t));
    }));
  }

  private Reply listRows(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    RowQuery query = RowQuery.from(call);
    return access.read(target, view -> {
      ObjectTools.Table t = TableSchema.table(view, table);
      RowQuery.Sql pageSql = query.page(t);
      RowQuery.Sql countSql = query.count(t);
      SqlCursor page = view.storage().sql().exec(pageSql.text(), pageSql.args().toArray());
      ObjectNode result = Envelope.NODES.objectNode();
      result.set("columns", Envelope.strings(page.columnNames()));
      ArrayNode rows = SqlValues.rows(page.raw());
      result.set("rows", rows);
      result.set("key", Envelope.strings(t.key()));
      Object total = view.storage().sql().exec(countSql.text(), countSql.args().toArray()).raw().get(0)[0];
      return Reply.list(result, Envelope.NODES.objectNode().put("count", rows.size())
          .put("offset", query.offset()).put("limit", query.limit()).put("total", ((Number) total).longValue()));
    });
  }

  private Reply explain(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    JsonNode body = call.bodyObject();
    JsonNode sqlNode = body.get("sql");
    if (sqlNode == null || !sqlNode.isTextual()) {
      throw ApiException.invalid("sql: Expected string, received " + SqlValues.typeOf(sqlNode));
    }
    Object[] params = SqlValues.params(body.get("params"), "", "params");
    List<ObjectTools.PlanStep> plan;
    try {
      plan = access.read(target, view -> view.queryPlan(sqlNode.textValue(), params));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("sql: " + e.getMessage());
    }
    ArrayNode out = Envelope.NODES.arrayNode();
    for (ObjectTools.PlanStep step : plan) {
      out.addObject().put("id", step.id()).put("parent", step.parent()).put("detail", step.detail());
    }
    return Reply.ok(out);
  }

  static ObjectNode toJson(ObjectTools.Table t, long rows) {
    ObjectNode o = Envelope.NODES.objectNode();
    o.put("name", t.name());
    o.put("type", t.type());
    ArrayNode columns = o.putArray("columns");
    for (ObjectTools.Column c : t.columns()) {
      columns.addObject().put("name", c.name()).put("type", c.type()).put("not_null", c.notNull())
          .put("default", c.defaultValue()) // null when the column has none
          .put("primary_key_position", c.pk()).put("generated", c.generated());
    }
    o.set("primary_key", Envelope.strings(t.primaryKey()));
    o.set("key", Envelope.strings(t.key()));
    ArrayNode indexes = o.putArray("indexes");
    for (ObjectTools.Index ix : t.indexes()) {
      indexes.addObject().put("name", ix.name()).put("unique", ix.unique())
          .put("origin", ix.origin()).put("partial", ix.partial())
          .set("columns", Envelope.strings(ix.columns()));
    }
    o.put("without_rowid", t.withoutRowid());
    o.put("strict", t.strict());
    o.put("rows", rows);
    o.put("sql", t.sql());
    return o;
  }
}
