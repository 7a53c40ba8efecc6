package dev.durable.internal.runtime;

import dev.durable.Env;
import dev.durable.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link Env} built from the runtime's bindings and vars. */
final class RuntimeEnv implements Env {
  private final Map<String, ObjectNamespace> namespaces;
  private final Map<String, ObjectNamespace> byNamespaceId;
  private final Map<String, Object> vars;

  /**
   * The env over the runtime's namespaces by binding and by namespace id (maps the runtime fills
   * in as it binds them).
   */
  RuntimeEnv(Map<String, ObjectNamespace> namespaces, Map<String, ObjectNamespace> byNamespaceId,
      Map<String, Object> vars) {
    this.namespaces = Collections.unmodifiableMap(namespaces);
    this.byNamespaceId = Collections.unmodifiableMap(byNamespaceId);
    this.vars = Map.copyOf(vars);
  }

  @Override
  public ObjectNamespace durableObject(String binding) {
    ObjectNamespace ns = namespaces.get(binding);
    if (ns == null) {
      ns = byNamespaceId.get(binding);
    }
    if (ns == null) {
      throw new IllegalArgumentException("No Durable Object binding named '" + binding
          + "'; bindings: " + namespaces.keySet());
    }
    return ns;
  }

  @Override
  public Set<String> durableObjectBindings() {
    return namespaces.keySet();
  }

  @Override
  public Optional<String> var(String name) {
    Object v = vars.get(name);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(v instanceof String s ? s : new String(Json.toBytes(v), StandardCharsets.UTF_8));
  }

  @Override
  public Map<String, Object> vars() {
    return vars;
  }
}
