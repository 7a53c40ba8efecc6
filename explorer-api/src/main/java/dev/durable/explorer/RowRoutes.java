package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.DurableObjectStorage;
import dev.durable.runtime.ObjectTools;
import dev.durable.runtime.ObjectView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits of one row of a table, addressed by its key (the primary key, else the rowid), with typed
 * values. Each runs in the object's gate through the object's own SQL API, so its refusals and
 * constraints apply, inside a savepoint: an edit that would touch more than one row changes none.
 */
record RowRoutes(ObjectAccess access) {
  private static final String ROWS = TableRoutes.TABLES + "/{table}/rows";

  void register(RouteTable t) {
    t.add("POST", ROWS, this::insertRow)
        .doc(TableRoutes.TAG, "insertRow", "Insert one row")
        .body("RowInsert")
        .result("RowWrite");
    t.add("PATCH", ROWS, this::updateRow)
        .doc(TableRoutes.TAG, "updateRow", "Update one row, addressed by its key")
        .body("RowUpdate")
        .result("RowWrite");
    t.add("DELETE", ROWS, this::deleteRow)
        .doc(TableRoutes.TAG, "deleteRow", "Delete one row, addressed by its key")
        .body("RowDelete")
        .result("RowWrite");
  }

  private Reply insertRow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    JsonNode body = onlyFields(call.bodyObject(), "values");
    Map<String, Object> values = values(body.get("values"), "values", true);
    return Reply.ok(access.write(target, view -> {
      ObjectTools.Table t = editable(view, table);
      values.keySet().forEach(col -> TableSchema.requireColumn(t, col, "values." + col));
      DurableObjectStorage storage = view.storage();
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
    JsonNode body = onlyFields(call.bodyObject(), "key", "values");
    Map<String, Object> key = values(body.get("key"), "key", false);
    Map<String, Object> values = values(body.get("values"), "values", false);
    return Reply.ok(access.write(target, view -> {
      ObjectTools.Table t = editable(view, table);
      requireKey(t, key);
      values.keySet().forEach(col -> TableSchema.requireColumn(t, col, "values." + col));
      DurableObjectStorage storage = view.storage();
      return storage.transaction(() -> {
        List<Object> args = new ArrayList<>(values.values());
        args.addAll(key.values());
        String sql = "UPDATE " + TableSchema.quote(t.name()) + " SET " + String.join(", ",
            values.keySet().stream().map(c -> TableSchema.quote(c) + " = ?").toList())
            + " WHERE " + keyCondition(key);
        long written = storage.sql().exec(sql, args.toArray()).rowsWritten();
        checkOneRow(t, key, written);
        Map<String, Object> newKey = new LinkedHashMap<>(key);
        values.forEach((col, v) -> {
          if (newKey.containsKey(col)) {
            newKey.put(col, v);
          }
        });
        return written(storage, t, newKey, written);
      });
    }));
  }

  private Reply deleteRow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String table = call.path("table");
    JsonNode body = onlyFields(call.bodyObject(), "key");
    Map<String, Object> key = values(body.get("key"), "key", false);
    return Reply.ok(access.write(target, view -> {
      ObjectTools.Table t = editable(view, table);
      requireKey(t, key);
      DurableObjectStorage storage = view.storage();
      return storage.transaction(() -> {
        long written = storage.sql().exec("DELETE FROM " + TableSchema.quote(t.name()) + " WHERE "
            + keyCondition(key), key.values().toArray()).rowsWritten();
        checkOneRow(t, key, written);
        return answer(key, Envelope.NODES.nullNode(), written); // the row is gone
      });
    }));
  }

  private static ObjectNode written(DurableObjectStorage storage, ObjectTools.Table t,
      Map<String, Object> key, long written) {
    String select = "SELECT * FROM " + TableSchema.quote(t.name()) + " WHERE " + keyCondition(key);
    List<Map<String, Object>> rows = storage.sql().exec(select, key.values().toArray()).toList();
    return answer(key, rows.size() == 1 ? toJson(rows.get(0)) : Envelope.NODES.nullNode(), written);
  }

  private static ObjectNode answer(Map<String, Object> key, JsonNode row, long written) {
    ObjectNode o = Envelope.NODES.objectNode();
    o.set("key", toJson(key));
    o.set("row", row);
    o.put("rows_written", written);
    return o;
  }

  private static void checkOneRow(ObjectTools.Table t, Map<String, Object> key, long written) {
    if (written == 0) {
      throw ApiException.notFound("No row of table '" + t.name() + "' has key " + toJson(key));
    }
    if (written > 1) {
      throw ApiException.invalid("Key " + toJson(key) + " matches " + written + " rows of table '"
          + t.name() + "' (NULL key values); nothing was changed");
    }
  }

  /** The table to edit; an object without a file has none (and gets no file for asking). */
  private static ObjectTools.Table editable(ObjectView view, String table) {
    if (!view.stored()) {
      throw ApiException.notFound("No table '" + table + "' in this object; tables: none");
    }
    ObjectTools.Table t = TableSchema.table(view, table);
    if (!t.type().equals("table") || t.key().isEmpty()) {
      throw ApiException.invalid("'" + table + "' is a " + t.type() + (t.key().isEmpty()
          ? " without a key" : "") + "; rows can be edited only in tables (use the query route)");
    }
    return t;
  }

  private static void requireKey(ObjectTools.Table t, Map<String, Object> key) {
    if (!key.keySet().equals(new HashSet<>(t.key()))) {
      throw ApiException.invalid("key: table '" + t.name() + "' addresses rows by "
          + t.key() + ", got " + key.keySet());
    }
  }

  private static String keyCondition(Map<String, Object> key) {
    return String.join(" AND ", key.keySet().stream().map(k -> TableSchema.quote(k) + " IS ?").toList());
  }

  private static String keyList(ObjectTools.Table t) {
    return String.join(", ", t.key().stream()
        .map(k -> t.keyIsRowid() ? k + " AS " + TableSchema.quote(k) : TableSchema.quote(k)).toList());
  }

  /** Refuses a body with fields the route does not know: a typo must not pass for "no value". */
  private static JsonNode onlyFields(JsonNode body, String... known) {
    List<String> allowed = List.of(known);
    for (String name : (Iterable<String>) body::fieldNames) {
      if (!allowed.contains(name)) {
        throw ApiException.invalid(name + ": unknown field; expected " + String.join(", ", allowed));
      }
    }
    return body;
  }

  /** A JSON object of column names to values; {@code mayBeEmpty} allows {} (insert defaults). */
  private static Map<String, Object> values(JsonNode node, String field, boolean mayBeEmpty) {
    if (node == null || node.isNull()) {
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

  private static ObjectNode toJson(Map<String, Object> row) {
    ObjectNode o = Envelope.NODES.objectNode();
    row.forEach((k, v) -> o.set(k, SqlValues.toJson(v)));
    return o;
  }
}
