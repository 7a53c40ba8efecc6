package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.DurableObjectStorage;
import dev.durable.SqlCursor;
import dev.durable.runtime.ObjectTools.NamespaceInfo;
import dev.durable.runtime.ObjectTools;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The routes Cloudflare's Local Explorer also serves, with its paths, fields, status codes and
 * messages: namespaces, the objects of a namespace (listed from disk, never waking one), and SQL
 * queries on one object.
 */
record NamespaceRoutes(ObjectAccess access) {
  static final String NAMESPACES = "/workers/durable_objects/namespaces";
  static final String TAG = "Durable Objects";
  private static final int DEFAULT_LIMIT = 1000;
  private static final int MIN_LIMIT = 10;
  private static final int MAX_LIMIT = 10_000;

  void register(RouteTable t) {
    t.add("GET", NAMESPACES, this::listNamespaces)
        .doc(TAG, "listNamespaces", "List Durable Object namespaces")
        .list("Namespace");
    t.add("GET", NAMESPACES + "/{namespace_id}/objects", this::listObjects)
        .doc(TAG, "listObjects", "List the objects of a namespace")
        .describe("Objects are listed from the namespace's directory, so state written by earlier"
            + " runs shows up; no object is woken. `name` is present when the object was made by"
            + " name. Ordered by id; pass `result_info.cursor` back as `cursor` for the next page"
            + " (it is empty on the last page).")
        .query("limit", "integer", "Objects per page, 10 to 10000 (default 1000)")
        .query("cursor", "string", "The cursor of the previous page")
        .list("ObjectEntry");
    t.add("POST", NAMESPACES + "/{namespace_id}/query", this::query)
        .doc(TAG, "queryObject", "Run SQL on one object")
        .describe("Addressed by `durable_object_id` or `durable_object_name`. The queries run in"
            + " order inside the object's input gate without waking it; several queries are one"
            + " transaction (all or none). Tables whose names start with `_cf_` are refused as in"
            + " the object itself. A query on an object that has no storage yet creates nothing"
            + " on disk unless it writes. Our extension: `durable_object_facet` names one of the"
            + " object's facets to query instead.")
        .body("QueryRequest")
        .result("QueryResults");
  }

  private Reply listNamespaces(ApiCall call) {
    ArrayNode result = Envelope.NODES.arrayNode();
    for (NamespaceInfo ns : access.tools().namespaces()) {
      result.add(describe(ns));
    }
    return Reply.list(result, Envelope.NODES.objectNode().put("count", result.size()));
  }

  /** The fields Cloudflare's listing gives a namespace. */
  static ObjectNode describe(NamespaceInfo ns) {
    String id = ns.namespaceId();
    return Envelope.NODES.objectNode()
        .put("id", id)
        .put("name", ns.script() + "_" + ns.className())
        .put("script", ns.script())
        .put("class", ns.className())
        .put("use_sqlite", true);
  }

  private Reply listObjects(ApiCall call) {
    int limit = call.queryInt("limit", DEFAULT_LIMIT, MIN_LIMIT, MAX_LIMIT);
    String cursor = call.query("cursor");
    if (cursor != null && !cursor.isEmpty() && !isHexId(cursor)) {
      throw ApiException.invalid("cursor: Invalid cursor '" + cursor
          + "'; pass back the cursor of the previous page");
    }
    String ns = access.namespace(call.path("namespace_id")).namespaceId();
    Set<String> live = access.tools().inMemory(ns).stream().filter(ObjectTools.ObjectInMemory::live)
        .map(o -> o.id().toString()).collect(Collectors.toSet());
    List<String> stored = access.tools().storedIds(ns);
    Set<String> storedSet = new HashSet<>(stored);
    List<String> ids = stored;
    if (!storedSet.containsAll(live)) { // some live objects have no storage yet
      ids = Stream.concat(stored.stream(), live.stream()).distinct().sorted().toList();
    }
    ids = matching(ns, ids, call.query("search"));
    int from = 0;
    if (cursor != null && !cursor.isEmpty()) {
      int at = Collections.binarySearch(ids, cursor);
      from = at >= 0 ? at + 1 : -at - 1;
    }
    int to = Math.min(ids.size(), from + limit);
    List<String> page = ids.subList(from, to);
    List<String> names = names(ns, page);
    ArrayNode result = Envelope.NODES.arrayNode();
    for (int i = 0; i < page.size(); i++) {
      String id = page.get(i);
      ObjectNode o = result.addObject().put("id", id);
      if (names.get(i) != null) {
        o.put("name", names.get(i));
      }
      o.put("hasStoredData", storedSet.contains(id));
      if (live.contains(id)) {
        o.put("live", true); // only when true: the listing keeps the shape Cloudflare's has
      }
    }
    String next = to < ids.size() ? ids.get(to - 1) : "";
    ObjectNode info = Envelope.NODES.objectNode().put("count", result.size()).put("cursor", next);
    return Reply.list(result, info);
  }

  /** Names not yet known are read from the files, a few microseconds each, on every core. */
  private List<String> names(String ns, List<String> ids) {
    return ids.parallelStream().map(id -> access.tools().nameOf(ns, id).orElse(null)).toList();
  }

  /** The ids whose id or name contains the search text, ignoring case (all when there is none). */
  private List<String> matching(String ns, List<String> ids, String search) {
    if (search == null || search.isBlank()) {
      return ids;
    }
    String needle = search.strip().toLowerCase(Locale.ROOT);
    List<String> names = names(ns, ids);
    return IntStream.range(0, ids.size())
        .filter(i -> ids.get(i).contains(needle)
            || (names.get(i) != null && names.get(i).toLowerCase(Locale.ROOT).contains(needle)))
        .mapToObj(ids::get).toList();
  }

  private record Query(String sql, Object[] params) {}

  private Reply query(ApiCall call) {
    JsonNode body = call.body();
    if (!body.isObject()) {
      throw ApiException.invalid("Invalid input");
    }
    JsonNode id = body.get("durable_object_id");
    JsonNode name = body.get("durable_object_name");
    if ((id == null) == (name == null)) {
      throw ApiException.invalid("Invalid input");
    }
    List<Query> queries = queries(body.get("queries"));
    requireText(id, "durable_object_id");
    requireText(name, "durable_object_name");
    JsonNode facet = body.get("durable_object_facet");
    requireText(facet, "durable_object_facet");
    NamespaceInfo ns = access.namespace(call.path("namespace_id"));
    ObjectAccess.Target target = id != null ? access.byId(ns, id.textValue())
        : access.byName(ns, name.textValue());
    if (facet != null) {
      target = access.facet(target, facet.textValue());
    }
    return Reply.ok(access.readUnlessWriting(target, view -> run(view.storage(), queries)));
  }

  private static void requireText(JsonNode value, String field) {
    if (value != null && !value.isTextual()) {
      throw ApiException.invalid("Invalid input: " + field + ": Expected string, received "
          + SqlValues.typeOf(value));
    }
  }

  private static ArrayNode run(DurableObjectStorage storage, List<Query> queries) {
    if (queries.size() == 1) {
      return Envelope.NODES.arrayNode().add(exec(storage, queries.get(0)));
    }
    return storage.transaction(() -> {
      ArrayNode results = Envelope.NODES.arrayNode();
      for (Query q : queries) {
        results.add(exec(storage, q));
      }
      return results;
    });
  }

  private static ObjectNode exec(DurableObjectStorage storage, Query q) {
    SqlCursor c = storage.sql().exec(q.sql(), q.params());
    ObjectNode o = Envelope.NODES.objectNode();
    o.set("columns", Envelope.strings(c.columnNames()));
    o.set("rows", SqlValues.rows(c.raw()));
    o.putObject("meta").put("rows_read", c.rowsRead()).put("rows_written", c.rowsWritten());
    return o;
  }

  private static List<Query> queries(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw ApiException.invalid("Invalid input");
    }
    if (node.isEmpty()) {
      throw ApiException.invalid("No queries provided"); // Miniflare's words
    }
    List<Query> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode q = node.get(i);
      String path = "queries." + i;
      if (!q.isObject()) {
        throw ApiException.invalid("Invalid input: " + path + ": Expected object, received "
            + SqlValues.typeOf(q));
      }
      JsonNode sql = q.get("sql");
      if (sql == null || !sql.isTextual()) {
        throw ApiException.invalid("Invalid input: " + path + ".sql: "
            + (sql == null ? "Required" : "Expected string, received " + SqlValues.typeOf(sql)));
      }
      Object[] values = SqlValues.params(q.get("params"), "Invalid input: ", path + ".params");
      out.add(new Query(sql.textValue(), values));
    }
    return out;
  }

  static boolean isHexId(String s) {
    return s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
