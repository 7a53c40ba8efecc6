package dev.durable.explorer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3 document of the explorer, served at the base path. Paths and operations come from
 * the route table itself, so every route is documented and every documented route exists; the
 * schemas are written by hand in {@code openapi-components.json}.
 */
final class OpenApiDocument {
  private static final Map<String, String> PATH_PARAMETERS = Map.of(
      "namespace_id", "The namespace id, `<script>-<Class>` (see listNamespaces).",
      "object", "The object: its id (64 hex digits), or `name:` followed by its name"
          + " (percent-encoded, e.g. `name:room%2F1`).",
      "table", "A table or view name, percent-encoded.",
      "key", "A key-value key, percent-encoded (`/` as `%2F`).",
      "facet", "A facet's name (a child the object made with `ctx.facets().get`), percent-encoded.");

  /** Every route on one object also reaches one of its facets. */
  private static final Route.QueryParam FACET = new Route.QueryParam("facet", "string",
      "Work on the object's facet of this name instead of the object itself (404 when it has none).");

  private static final String DESCRIPTION = """
      Browse and edit the Durable Objects of a running `durable dev` server. The routes tagged \
      *Durable Objects* are those Cloudflare's Local Explorer also serves, with the same paths, \
      fields, status codes and messages; the others are durable's data studio.

      **Envelope.** Every JSON answer is `{"success", "errors", "messages", "result"}` \
      (`result_info` on collections); failures have `success: false`, `result: null` and one \
      error `{"code", "message"}`. Downloads (exports, this document) are sent as they are.

      **Error codes.** 10001 invalid input, validation failure or SQL error (400; validation \
      messages read `field.path: what is wrong`, SQL errors `<sqlite message>: SQLITE_<CODE>`); \
      10066 namespace not found (404); 10404 table, row or key not found (404); 10002 the \
      object's code threw during rpc or fetch (500); 10000 unexpected server error (500); \
      10401 explorer token missing or wrong (401); 10403 Host or Origin refused (403); 10413 \
      body too large (413); 10415 a write without `Content-Type: application/json` (415); 7000 \
      no route for that URI (404); 7001 method not allowed (405, with `Allow`); 10130 local \
      observability is not enabled (404, the observability routes, as in Miniflare).

      **Values.** SQLite INTEGERs are JSON numbers up to 2^53 - 1 in magnitude and strings of \
      digits beyond (JavaScript cannot hold them exactly); BLOBs are `{"$blob": "<base64>"}`, \
      never `{}`; the same forms are accepted as input.

      **Objects** are addressed by id (64 hex digits) or by `name:<name>`. Reads and edits run \
      inside the object's input gate (never beside a running handler) without building its \
      instance; reading an object that has no storage creates nothing on disk. Only `rpc`, \
      `fetch` and `alarm/run` wake an object.

      **Safety.** Requests whose `Host` is not a loopback name (localhost, *.localhost, \
      127.0.0.0/8, [::1]) or whose `Origin` is not a loopback page are refused (403): this stops \
      DNS rebinding and drive-by pages. POST, PUT and PATCH (and DELETE with a body) need \
      `Content-Type: application/json` (415). Bodies over %d bytes are refused (413). `OPTIONS` \
      answers 204 with CORS headers for loopback origins. When the server has an explorer token \
      (%s), every request needs `Authorization: Bearer <token>` (401), and the host the server \
      is bound to is accepted too.""";

  private final RouteTable routes;
  private final long maxBodyBytes;
  private final boolean tokenRequired;
  private volatile ObjectNode document;

  OpenApiDocument(RouteTable routes, long maxBodyBytes, boolean tokenRequired) {
    this.routes = routes;
    this.maxBodyBytes = maxBodyBytes;
    this.tokenRequired = tokenRequired;
  }

  /** The document (built on first use, once every route is registered). */
  ObjectNode document() {
    ObjectNode d = document;
    if (d == null) {
      d = build();
      document = d;
    }
    return d;
  }

  private ObjectNode build() {
    ObjectNode doc = Envelope.NODES.objectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "durable explorer API");
    info.put("version", "1");
    info.put("description", DESCRIPTION.formatted(maxBodyBytes,
        tokenRequired ? "this server has one" : "this server has none"));
    ArrayNode servers = doc.putArray("servers");
    servers.addObject().put("url", Explorer.BASE);
    servers.addObject().put("url", Explorer.LOCAL_BASE);
    ArrayNode security = doc.putArray("security");
    if (!tokenRequired) {
      security.addObject();
    }
    security.addObject().putArray("explorerToken");
    ObjectNode paths = doc.putObject("paths");
    for (Route r : routes.routes()) {
      String path = r.template.isEmpty() ? "/" : r.template;
      paths.withObjectProperty(path).set(r.method.toLowerCase(Locale.ROOT), operation(r));
    }
    doc.set("components", components());
    return doc;
  }

  private ObjectNode operation(Route r) {
    ObjectNode op = Envelope.NODES.objectNode();
    op.putArray("tags").add(r.tag);
    op.put("operationId", r.operationId);
    op.put("summary", r.summary);
    if (r.description != null) {
      op.put("description", r.description);
    }
    ArrayNode params = Envelope.NODES.arrayNode();
    for (String p : r.parameters()) {
      ObjectNode param = params.addObject().put("name", p).put("in", "path").put("required", true);
      param.put("description", PATH_PARAMETERS.getOrDefault(p, p));
      param.putObject("schema").put("type", "string");
    }
    List<Route.QueryParam> query = new ArrayList<>(r.query);
    if (r.parameters().contains("object") && !r.parameters().contains("facet")) {
      query.add(FACET);
    }
    for (Route.QueryParam q : query) {
      ObjectNode param = params.addObject().put("name", q.name()).put("in", "query")
          .put("required", false).put("description", q.description());
      param.putObject("schema").put("type", q.type());
    }
    if (!params.isEmpty()) {
      op.set("parameters", params);
    }
    if (r.requestSchema != null) {
      ObjectNode body = op.putObject("requestBody").put("required", true);
      body.putObject("content").putObject("application/json").set("schema", ref(r.requestSchema));
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200");
    ObjectNode content = ok.putObject("content");
    if (r.downloadTypes != null) {
      ok.put("description", "The file");
      for (String type : r.downloadTypes.split(",\\s*")) {
        ObjectNode schema = content.putObject(type).putObject("schema");
        if (type.equals("application/json") && r.template.isEmpty()) {
          schema.put("type", "object");
        } else {
          schema.put("type", "string").put("format", "binary");
        }
      }
    } else {
      ok.put("description", "Success");
      content.putObject("application/json").set("schema", envelopeOf(r));
    }
    responses.putObject("4XX").put("$ref", "#/components/responses/Error");
    responses.putObject("5XX").put("$ref", "#/components/responses/Error");
    return op;
  }

  private static ObjectNode envelopeOf(Route r) {
    ObjectNode schema = Envelope.NODES.objectNode();
    ArrayNode all = schema.putArray("allOf");
    all.add(ref("Envelope"));
    ObjectNode props = all.addObject().put("type", "object").putObject("properties");
    if (r.collection) {
      props.putObject("result").put("type", "array").set("items", ref(r.resultSchema));
      props.set("result_info", ref("ResultInfo"));
    } else {
      props.set("result", ref(r.resultSchema));
    }
    return schema;
  }

  private static ObjectNode ref(String schema) {
    return Envelope.NODES.objectNode().put("$ref", "#/components/schemas/" + schema);
  }

  private static ObjectNode components() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi-components.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi-components.json is missing from the explorer's jar");
      }
      return (ObjectNode) Envelope.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the OpenAPI components: " + e.getMessage(), e);
    }
  }
}
