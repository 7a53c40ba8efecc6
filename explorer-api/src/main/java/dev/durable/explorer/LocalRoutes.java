package dev.durable.explorer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.runtime.ObjectTools.NamespaceInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes Miniflare's Local Explorer serves about the dev session itself, which its web UI
 * calls first: the workers of this session with their bindings, and local observability, which
 * this emulator does not capture (the UI shows its "capture is off" page for code 10130).
 */
record LocalRoutes(ObjectAccess access) {
  static final String TAG = "Local session";
  /** Miniflare's code for "local observability is not enabled". */
  static final int OBSERVABILITY_NOT_ENABLED = 10130;
  static final String OBSERVABILITY_OFF = "Local observability is not enabled for this dev session.";

  void register(RouteTable t) {
    t.add("GET", "/local/workers", this::workers)
        .doc(TAG, "listLocalWorkers", "The workers of this dev session and their bindings")
        .describe("One worker, this server's (`isSelf: true`), with its Durable Object bindings"
            + " under `bindings.do`; `kv`, `d1`, `r2` and `workflows` are always empty here. A"
            + " binding's `className` is the namespace's `class` in listNamespaces, so a client"
            + " finds the namespace by it: the qualified class name when two bound classes"
            + " share a simple name.")
        .result("LocalWorker");
    t.add("POST", "/local/observability/query", this::observabilityOff)
        .doc(TAG, "queryObservability", "Query captured traces and logs (not captured here)")
        .describe("Always 404 with code 10130: this emulator does not capture traces. Clients"
            + " written for Miniflare show their \"capture is off\" state for that code.")
        .result("Envelope");
    t.add("POST", "/local/observability/clear", this::observabilityOff)
        .doc(TAG, "clearObservability", "Delete captured traces and logs (not captured here)")
        .describe("Always 404 with code 10130, as queryObservability.")
        .result("Envelope");
  }

  private Reply workers(ApiCall call) {
    Map<String, ArrayNode> byScript = new LinkedHashMap<>();
    for (NamespaceInfo ns : access.tools().namespaces()) {
      byScript.computeIfAbsent(ns.script(), s -> Envelope.NODES.arrayNode()).addObject()
          .put("id", ns.namespaceId())
          .put("bindingName", ns.binding())
          .put("className", ns.className())
          .put("scriptName", ns.script())
          .put("useSqlite", true);
    }
    ArrayNode result = Envelope.NODES.arrayNode();
    byScript.forEach((script, objects) -> {
      ObjectNode worker = result.addObject().put("isSelf", true).put("name", script);
      ObjectNode bindings = worker.putObject("bindings");
      bindings.set("do", objects);
      for (String kind : new String[] {"kv", "d1", "r2", "workflows"}) {
        bindings.putArray(kind);
      }
    });
    return Reply.ok(result);
  }

  private Reply observabilityOff(ApiCall call) {
    throw new ApiException(404, OBSERVABILITY_NOT_ENABLED, OBSERVABILITY_OFF);
  }
}
