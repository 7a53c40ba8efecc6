package dev.durable;

/**
 * One class of Durable Objects, as bound in the configuration: makes ids and stubs.
 *
 * <pre>{@code
 * DurableObjectStub stub = env.durableObject("COUNTER").getByName("a");
 * CounterApi counter = env.durableObject("COUNTER").getByName("a", CounterApi.class);
 * }</pre>
 */
public interface DurableObjectNamespace {
  /** The namespace id, {@code <script>-<Class>}. */
  String namespaceId();

  /** The id derived from a name: the same name always gives the same id. */
  DurableObjectId idFromName(String name);

  /**
   * Parses an id's hex form; fails with "Invalid Durable Object ID: must be 64 hex digits" or
   * "Durable Object ID is not valid for this namespace."
   */
  DurableObjectId idFromString(String hex);

  /** A new random id, valid only in this namespace. */
  DurableObjectId newUniqueId();

  /** A stub for the object with this id. Making a stub does not start the object. */
  DurableObjectStub get(DurableObjectId id);

  /** A typed RPC proxy for the object with this id. */
  default <T> T get(DurableObjectId id, Class<T> rpcInterface) {
    return get(id).as(rpcInterface);
  }

  /** A stub for the object with this name. */
  default DurableObjectStub getByName(String name) {
    return get(idFromName(name));
  }

  /** A typed RPC proxy for the object with this name. */
  default <T> T getByName(String name, Class<T> rpcInterface) {
    return getByName(name).as(rpcInterface);
  }
}
