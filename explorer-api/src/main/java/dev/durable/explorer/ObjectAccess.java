package dev.durable.explorer;

import dev.durable.DurableObjectId;
import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import dev.durable.runtime.DurableRuntime;

/**
 * How the explorer reaches objects: namespaces by id, objects by hex id or name, and work done
 * inside the object's gate (never beside a running handler) without building its instance.
 * Reading an object that has no file answers from an empty scratch database, so browsing never
 * creates files; writing goes to the real object.
 */
final class ObjectAccess {
  /** The prefix that addresses an object by name in a path: {@code name:<name>}. */
  static final String NAME_PREFIX = "name:";

  /** An object of a namespace, addressed by the explorer. */
  record Target(ObjectNamespace namespace, DurableObjectId id) {
    /** The object's name when known. */
    String name() {
      return id.name().orElse(null);
    }
  }

  /**
   * The object as a task inside its gate sees it.
   *
   * @param storage the object's storage (or the scratch's when it has no file)
   * @param database the object's database (or the scratch's)
   * @param stored whether the object has a database file (or, in memory, a database)
   * @param live whether an instance is live in memory
   */
  record View(Target target, ObjectHandle handle, ObjectStorage storage, ObjectDatabase database,
      boolean stored, boolean live) {}

  /** Work inside an object's gate. */
  @FunctionalInterface
  interface Task<T> {
    T run(View view) throws Exception;
  }

  private final DurableRuntime runtime;
  private final ObjectNames names;

  ObjectAccess(DurableRuntime runtime, ObjectNames names) {
    this.runtime = runtime;
    this.names = names;
  }

  DurableRuntime runtime() {
    return runtime;
  }

  ObjectNames names() {
    return names;
  }

  /** The namespace with this id ({@code <script>-<Class>}), or a 404 with code 10066. */
  ObjectNamespace namespace(String namespaceId) {
    for (ObjectNamespace ns : runtime.namespaces()) {
      if (ns.namespaceId().equals(namespaceId)) {
        return ns;
      }
    }
    throw new ApiException(404, ApiException.NAMESPACE_NOT_FOUND,
        "Durable Object namespace ID '" + namespaceId + "' not found.");
  }

  /** The object a route addresses with {@code {namespace_id}} and {@code {object}}. */
  Target target(ApiCall call) {
    ObjectNamespace ns = namespace(call.path("namespace_id"));
    String object = call.path("object");
    if (object.startsWith(NAME_PREFIX)) {
      return byName(ns, object.substring(NAME_PREFIX.length()));
    }
    try {
      return byId(ns, object);
    } catch (ApiException e) {
      throw ApiException.invalid(e.getMessage() + " (to address an object by name, use "
          + NAME_PREFIX + "<name>)");
    }
  }

  Target byName(ObjectNamespace ns, String name) {
    return new Target(ns, ns.idFromName(name));
  }

  /**
   * An object by hex id; its stored name, when it has one, comes with it so that the object's
   * {@code ctx.id().name()} stays right if the explorer's visit is what loads it.
   */
  Target byId(ObjectNamespace ns, String hex) {
    DurableObjectId id;
    try {
      id = ns.idFromString(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    ObjectHandle inMemory = null;
    for (ObjectHandle h : ns.handles()) {
      if (h.id().equals(id)) {
        inMemory = h;
        break;
      }
    }
    String name = names.nameOf(ns, hex, inMemory).orElse(null);
    return new Target(ns, name != null ? ns.idFromName(name) : id);
  }

  /** Reads inside the object's gate; an object without a file is read as an empty one. */
  <T> T read(Target target, Task<T> task) {
    return target.namespace().handle(target.id()).inspect(instance -> {
      ObjectHandle h = current(target);
      if (h.database().exists()) {
        return task.run(new View(target, h, h.storage(), h.database(), true, instance != null));
      }
      try (Scratch scratch = new Scratch(target.name())) {
        return task.run(new View(target, h, scratch.storage(), scratch.database(), false,
            instance != null));
      }
    });
  }

  /** Writes inside the object's gate, to the object's own storage (creating its file if needed). */
  <T> T write(Target target, Task<T> task) {
    return target.namespace().handle(target.id()).inspect(instance -> {
      ObjectHandle h = current(target);
      boolean stored = h.database().exists();
      return task.run(new View(target, h, h.storage(), h.database(), stored, instance != null));
    });
  }

  /**
   * Runs a task that may or may not write. An object without a file first gets it on a scratch
   * database: when that changed nothing, its answer stands and no file is created; otherwise the
   * task runs again on the real object, in the same visit to the gate.
   */
  <T> T readUnlessWriting(Target target, Task<T> task) {
    return target.namespace().handle(target.id()).inspect(instance -> {
      ObjectHandle h = current(target);
      boolean live = instance != null;
      if (!h.database().exists()) {
        try (Scratch scratch = new Scratch(target.name())) {
          Scratch.ChangeMark before = scratch.changeMark();
          T result = task.run(new View(target, h, scratch.storage(), scratch.database(), false, live));
          if (scratch.changeMark().equals(before)) {
            return result;
          }
        }
      }
      return task.run(new View(target, h, h.storage(), h.database(), true, live));
    });
  }

  /** The handle whose gate the running task holds (a retired handle's successor, if it was). */
  private static ObjectHandle current(Target target) {
    return target.namespace().handle(target.id());
  }
}
