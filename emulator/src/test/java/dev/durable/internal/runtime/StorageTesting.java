package dev.durable.internal.runtime;

import dev.durable.DurableObjectStorage;
import dev.durable.runtime.DurableRuntime;

/** Runs test code against an object's storage inside one of its events. */
final class StorageTesting {
  interface StorageBody<T> {
    T run(DurableObjectStorage storage) throws Exception;
  }

  private StorageTesting() {}

  static <T> T inObject(DurableRuntime runtime, String binding, String name, StorageBody<T> body) {
    ObjectNamespace ns = (ObjectNamespace) runtime.namespace(binding);
    ObjectHandle handle = ns.handle(ns.idFromName(name));
    return handle.run(obj -> body.run(handle.storage()), true);
  }
}
