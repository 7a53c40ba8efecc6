package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.internal.json.Json;
import dev.durable.runtime.ObjectTools.NamespaceInfo;
import dev.durable.runtime.ObjectTools;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One object as a whole: what it holds and how big it is (without waking it), the two routes
 * that do wake it on purpose, for the REPL (an RPC call by method name and a fetch), and
 * eviction of its instance. Also what a namespace binds: its binding name, class and the methods
 * {@code rpc} may call, with which the REPL resolves {@code use COUNTER ...} and completes names.
 */
record ObjectRoutes(ObjectAccess access) {
  static final String OBJECT = NamespaceRoutes.NAMESPACES + "/{namespace_id}/objects/{object}";
  static final String TAG = "Objects";
  private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+(?=[A-Za-z_$])");

  void register(RouteTable t) {
    t.add("GET", NamespaceRoutes.NAMESPACES + "/{namespace_id}", this::namespace)
        .doc(TAG, "getNamespace", "A namespace's binding, class and the methods `rpc` can call")
        .describe("The fields of listNamespaces, plus `binding` (the name in the configuration,"
            + " e.g. `COUNTER`), `class_name` (the fully qualified class) and `methods`: each public"
            + " method callable by name, with its parameter types (and names, when the class was"
            + " compiled with `-parameters`) and its return type, package names left out."
            + " Overloads are listed one by one. Handlers (`fetch`, `alarm`, `webSocket*`) are not.")
        .result("NamespaceDetail");
    t.add("GET", OBJECT, this::summary)
        .doc(TAG, "getObject", "An object's id, name, size, tables with row counts, and whether it is live")
        .describe("Read inside the object's input gate without waking it. An object without"
            + " storage answers as an empty one and nothing is created.")
        .result("ObjectSummary");
    t.add("POST", OBJECT + "/rpc", this::rpc)
        .doc(TAG, "callObject", "Call a public method of the object (wakes it)")
        .describe("Arguments are JSON values converted to the method's parameter types; the"
            + " result comes back as JSON. An exception thrown by the object answers 500 with"
            + " code 10002.")
        .body("RpcRequest")
        .result("JsonValue");
    t.add("POST", OBJECT + "/fetch", this::fetch)
        .doc(TAG, "fetchObject", "Send an HTTP request to the object's fetch handler (wakes it)")
        .body("FetchRequest")
        .result("FetchResponse");
    t.add("POST", OBJECT + "/evict", this::evict)
        .doc(TAG, "evictObject", "Drop the object's instance from memory, as the idle timeout would")
        .describe("Waits for a running event to finish, commits what is pending and closes the"
            + " database; the next event runs the constructor again and reads state from storage."
            + " `was_live` says whether an instance was in memory. Never creates an object.")
        .result("Evicted");
    t.add("GET", OBJECT + "/facets", this::listFacets)
        .doc(TAG, "listFacets", "The object's facets: the children it made with ctx.facets().get")
        .describe("Facets that have storage or a live instance, by name; none is woken. Every route"
            + " on an object reaches one of its facets with the query parameter `facet=<name>`.")
        .list("Facet");
    t.add("DELETE", OBJECT + "/facets/{facet}", this::deleteFacet)
        .doc(TAG, "deleteFacet", "Delete one of the object's facets, as its ctx.facets().delete(name) would")
        .describe("Drops the facet's instance and deletes its storage, alarm and WebSockets. Like"
            + " Cloudflare's, deleting a facet that does not exist succeeds; `deleted` says whether"
            + " one did.")
        .result("DeletedFacet");
  }

  private Reply namespace(ApiCall call) {
    NamespaceInfo ns = access.namespace(call.path("namespace_id"));
    ObjectNode o = NamespaceRoutes.describe(ns)
        .put("binding", ns.binding())
        .put("class_name", ns.objectClass().getName());
    ArrayNode methods = o.putArray("methods");
    for (Method m : ns.methods()) {
      ObjectNode method = methods.addObject().put("name", m.getName());
      ArrayNode parameters = method.putArray("parameters");
      Type[] types = m.getGenericParameterTypes();
      Parameter[] declared = m.getParameters();
      for (int i = 0; i < types.length; i++) {
        ObjectNode p = parameters.addObject();
        if (declared.length == types.length && declared[i].isNamePresent()) {
          p.put("name", declared[i].getName());
        }
        p.put("type", typeName(types[i]));
      }
      method.put("returns", typeName(m.getGenericReturnType()));
    }
    return Reply.ok(o);
  }

  /** {@code java.util.List<java.lang.String>} as {@code List<String>}, nested classes with a dot. */
  static String typeName(Type type) {
    return PACKAGE.matcher(type.getTypeName()).replaceAll("").replace('$', '.');
  }

  private Reply listFacets(ApiCall call) {
    ArrayNode result = facets(access.target(call));
    return Reply.list(result, Envelope.NODES.objectNode().put("count", result.size()));
  }

  private Reply deleteFacet(ApiCall call) {
    ObjectAccess.Target parent = access.target(call);
    String name = ObjectAccess.facetName(call.path("facet"));
    boolean deleted = access.tools().deleteFacet(parent.stub(), name);
    return Reply.ok(Envelope.NODES.objectNode().put("name", name).put("deleted", deleted));
  }

  private ArrayNode facets(ObjectAccess.Target target) {
    ArrayNode out = Envelope.NODES.arrayNode();
    for (DurableObjectStub f : access.tools().facets(target.stub())) {
      Class<?> cls = access.tools().namespaceOf(f).objectClass();
      out.addObject().put("name", f.id().name().orElse(null)).put("id", f.id().toString())
          .put("class", cls.getSimpleName()).put("class_name", cls.getName());
    }
    return out;
  }

  private Reply summary(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    ObjectNode o = Envelope.NODES.objectNode();
    o.put("id", target.id().toString());
    if (target.name() != null) {
      o.put("name", target.name());
    }
    o.put("namespace", target.namespace().namespaceId());
    access.read(target, view -> {
      o.put("hasStoredData", view.stored());
      o.put("live", view.live());
      o.putObject("size")
          .put("database_bytes", view.stored() ? view.storage().sql().databaseSize() : 0)
          .put("file_bytes", view.fileBytes());
      ArrayNode tables = o.putArray("tables");
      for (ObjectTools.Table t : view.tables()) {
        tables.addObject().put("name", t.name()).put("type", t.type())
            .put("rows", view.rowCount(t));
      }
      o.put("kv_entries", view.entryCount());
      return o.set("alarm", AlarmRoutes.toJson(view.storage().getAlarm().orElse(null)));
    });
    o.set("facets", facets(target));
    return Reply.ok(o);
  }

  private Reply rpc(ApiCall call) {
    JsonNode body = call.bodyObject();
    JsonNode method = body.get("method");
    if (method == null || !method.isTextual() || method.textValue().isBlank()) {
      throw ApiException.invalid("method: expected the name of a public method of the object, got "
          + SqlValues.describe(method));
    }
    JsonNode args = body.get("args");
    List<Object> arguments = new ArrayList<>();
    if (args != null && !args.isNull()) {
      if (!args.isArray()) {
        throw ApiException.invalid("args: expected an array of arguments, got " + SqlValues.describe(args));
      }
      for (JsonNode a : args) {
        arguments.add(Json.mapper().convertValue(a, Object.class));
      }
    }
    ObjectAccess.Target target = access.target(call);
    Object result;
    try {
      result = target.stub().call(method.textValue(), arguments);
    } catch (DurableObjectException e) {
      throw objectFailure(target, method.textValue() + "()", e);
    }
    return Reply.ok(Json.mapper().valueToTree(result));
  }

  private Reply fetch(ApiCall call) {
    JsonNode body = call.bodyObject();
    String method = text(body, "method", "GET").toUpperCase(Locale.ROOT);
    String url = text(body, "url", "/");
    Request.Builder b;
    try {
      b = Request.builder(method, url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("url: " + e.getMessage());
    }
    JsonNode headers = body.get("headers");
    if (headers != null && !headers.isNull()) {
      if (!headers.isObject()) {
        throw ApiException.invalid("headers: expected an object of header names to values, got "
            + SqlValues.describe(headers));
      }
      for (Map.Entry<String, JsonNode> h : headers.properties()) {
        for (JsonNode v : h.getValue().isArray() ? h.getValue() : List.of(h.getValue())) {
          if (!v.isTextual()) {
            throw ApiException.invalid("headers." + h.getKey() + ": expected a string or an array of"
                + " strings, got " + SqlValues.describe(v));
          }
          b.header(h.getKey(), v.textValue());
        }
      }
    }
    JsonNode requestBody = body.get("body");
    if (requestBody != null && !requestBody.isNull()) {
      if (requestBody.isTextual()) {
        b.body(requestBody.textValue());
      } else if (SqlValues.fromJson(requestBody, "body") instanceof byte[] bytes) {
        b.body(bytes);
      } else {
        throw ApiException.invalid("body: expected a string or {\"$blob\":\"<base64>\"}, got "
            + SqlValues.describe(requestBody));
      }
    }
    ObjectAccess.Target target = access.target(call);
    Response response;
    try {
      response = target.stub().fetch(b.build());
    } catch (DurableObjectException e) {
      throw objectFailure(target, "fetch()", e);
    }
    ObjectNode o = Envelope.NODES.objectNode();
    o.put("status", response.status());
    ObjectNode h = o.putObject("headers");
    response.headers().asMap().forEach((name, values) -> h.set(name, Envelope.strings(values)));
    if (response.streamed() && body.path("stream").asBoolean(false)) {
      return new Reply.Stream(o, response.bodyStream());
    }
    o.set("body", responseBody(response));
    return Reply.ok(o);
  }

  private Reply evict(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String id = target.id().toString();
    // A failed commit of pending writes answers 500 with its message.
    boolean wasLive = access.tools().evict(target.stub());
    ObjectNode o = Envelope.NODES.objectNode().put("id", id);
    if (target.name() != null) {
      o.put("name", target.name());
    }
    return Reply.ok(o.put("was_live", wasLive));
  }

  private static JsonNode responseBody(Response response) {
    byte[] bytes = response.body();
    String type = response.header("content-type").orElse("").toLowerCase(Locale.ROOT);
    boolean textual = type.isEmpty() || type.startsWith("text/") || type.contains("json")
        || type.contains("xml") || type.contains("javascript") || type.contains("urlencoded");
    if (textual) {
      try {
        return Envelope.NODES.textNode(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString());
      } catch (CharacterCodingException e) {
        // Not UTF-8 after all: shown as bytes below.
      }
    }
    return SqlValues.blob(bytes);
  }

  private static String text(JsonNode body, String field, String defaultValue) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isTextual()) {
      throw ApiException.invalid(field + ": expected a string, got " + SqlValues.describe(v));
    }
    return v.textValue();
  }

  /** What the object threw (500, code 10002), or what the runtime reported on its behalf. */
  private static ApiException objectFailure(ObjectAccess.Target target, String what,
      DurableObjectException e) {
    if (!e.isRemote()) {
      return new ApiException(500, ApiException.INTERNAL, e.getMessage());
    }
    if (e.getMessage() != null && e.getMessage().startsWith("Constructor of ")) {
      // The object could not be built, so the method never ran: say which of the two threw.
      return new ApiException(500, ApiException.OBJECT_THREW, e.getMessage() + "; " + what
          + " did not run");
    }
    return new ApiException(500, ApiException.OBJECT_THREW, target.namespace().objectClass()
        .getSimpleName() + "." + what + " threw " + e.remoteType() + ": " + e.getMessage());
  }
}
