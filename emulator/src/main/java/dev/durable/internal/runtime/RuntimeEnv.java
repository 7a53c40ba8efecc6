package dev.durable.internal.runtime;


import dev.durable.DurableObjectNamespace;
import dev.durable.Env;
import dev.durable.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link Env} built from the runtime's bindings and vars. */
final class RuntimeEnv implements Env {
  private final LocalRuntime runtime;
  private final Map<String, Object> vars;

  RuntimeEnv(LocalRuntime runtime, Map<String, Object> vars) {
    this.runtime = runtime;
    this.vars = Map.copyOf(vars);
  }

  @Override
  public DurableObjectNamespace durableObject(String binding) {
    return runtime.namespace(binding);
  }

  @Override
  public Set<String> durableObjectBindings() {
    return runtime.bindingNames();
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
