package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace as the explorer describes it.
 *
 * @param id the namespace id, {@code <script>-<Class>}
 * @param binding the binding name, e.g. {@code COUNTER}, or null when the explorer does not say
 * @param simpleClassName the class's simple name
 * @param className the fully qualified class name, or null when the explorer does not say
 * @param methods the methods RPC can call (empty when the explorer does not say)
 */
record NamespaceInfo(String id, String binding, String simpleClassName, String className,
    List<RpcMethod> methods) {

  /** A method callable by name, e.g. {@code increment(long by) -> long}. */
  record RpcMethod(String name, List<String> parameters, String returns) {
    /** {@code (long by) -> long}. */
    String signature() {
      return "(" + String.join(", ", parameters) + ") -> " + returns;
    }
  }

  /** What the user calls it: the binding name, else the class name. */
  String label() {
    return binding != null ? binding : simpleClassName;
  }

  /** Whether the user's word names this namespace (binding, class or id; bindings ignore case). */
  boolean isNamedBy(String word) {
    return word.equals(id) || word.equals(simpleClassName) || word.equals(className)
        || (binding != null && binding.equalsIgnoreCase(word))
        || word.equals(id.replaceFirst("-", "_"));
  }

  /** From an entry of the namespace listing and, when the explorer has it, the namespace's detail. */
  static NamespaceInfo from(JsonNode entry, JsonNode detail) {
    String id = entry.path("id").asText();
    String simple = entry.path("class").asText(id.substring(id.indexOf('-') + 1));
    if (detail == null) {
      return new NamespaceInfo(id, null, simple, null, List.of());
    }
    List<RpcMethod> methods = new ArrayList<>();
    for (JsonNode m : detail.path("methods")) {
      List<String> parameters = new ArrayList<>();
      for (JsonNode p : m.path("parameters")) {
        parameters.add(p.path("type").asText() + (p.has("name") ? " " + p.get("name").asText() : ""));
      }
      methods.add(new RpcMethod(m.path("name").asText(), parameters, m.path("returns").asText()));
    }
    return new NamespaceInfo(id, detail.path("binding").asText(null), simple,
        detail.path("class_name").asText(null), List.copyOf(methods));
  }
}
