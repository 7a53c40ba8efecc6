package dev.durable;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bindings and variables of a worker, from its configuration: Durable Object namespaces by
 * binding name, and {@code vars}.
 */
public interface Env {
  /** The namespace bound under this name; fails naming the known bindings when there is none. */
  DurableObjectNamespace durableObject(String binding);

  /** The binding names of every Durable Object namespace. */
  Set<String> durableObjectBindings();

  /** A variable as text (JSON values other than strings in their JSON form), or empty. */
  Optional<String> var(String name);

  /** Every variable as plain JSON values. */
  Map<String, Object> vars();
}
