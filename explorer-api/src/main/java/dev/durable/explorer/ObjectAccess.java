package dev.durable.explorer;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectStub;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools.NamespaceInfo;
import dev.durable.runtime.ObjectTools;

/**
 * How the explorer reaches objects: namespaces by id, objects by hex id or name, and work done
 * inside the object's gate (never beside a running handler) without building its instance,
 * through the runtime's {@link ObjectTools}. Reading an object that has no storage answers as
 * for an empty one, so browsing never creates files; writing goes to the real object.
 */
final class ObjectAccess {
  /** The prefix that addresses an object by name in a path: {@code name:<name>}. */
  static final String NAME_PREFIX = "name:";

  /** An object of a namespace, addressed by the explorer. */
  record Target(NamespaceInfo namespace, DurableObjectStub stub) {
    DurableObjectId id() {
      return stub.id();
    }

    /** The object's name when known. */
    String name() {
      return stub.id().name().orElse(null);
    }

    /** How messages name the object: by name when it has one, else by id. */
    String describe() {
      return name() != null ? "'" + name() + "'" : id().toString();
    }
  }

  private final DurableRuntime runtime;

  ObjectAccess(DurableRuntime runtime) {
    this.runtime = runtime;
  }

  ObjectTools tools() {
    return runtime.tools();
  }

  /** The namespace with this id ({@code <script>-<Class>}), or a 404 with code 10066. */
  NamespaceInfo namespace(String namespaceId) {
    return tools().namespaces().stream().filter(ns -> ns.namespaceId().equals(namespaceId))
        .findFirst().orElseThrow(() -> new ApiException(404, ApiException.NAMESPACE_NOT_FOUND,
            "Durable Object namespace ID '" + namespaceId + "' not found."));
  }

  /**
   * The object a route addresses with {@code {namespace_id}} and {@code {object}}, or with the
   * query parameter {@code facet}, that object's facet of this name.
   */
  Target target(ApiCall call) {
    Target object = object(call);
    String facet = call.query("facet");
    return facet == null ? object : facet(object, facet);
  }

  /** A facet's name as given in a request; a 400 when it is empty. */
  static String facetName(String name) {
    if (name.isEmpty()) {
      throw ApiException.invalid("facet: expected the name of one of the object's facets, got an empty string");
    }
    return name;
  }

  /** The facet of an object with this name, or a 404 when it has none. */
  Target facet(Target object, String name) {
    DurableObjectStub facet = tools().facet(object.stub(), facetName(name)).orElseThrow(() -> ApiException.notFound(
        "Object " + object.describe() + " has no facet named '" + name + "'"));
    return new Target(tools().namespaceOf(facet), facet);
  }

  private Target object(ApiCall call) {
    NamespaceInfo ns = namespace(call.path("namespace_id"));
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

  Target byName(NamespaceInfo ns, String name) {
    return new Target(ns, objects(ns).getByName(name));
  }

  /**
   * An object by hex id; its stored name, when it has one, comes with it so that the object's
   * {@code ctx.id().name()} stays right if the explorer's visit is what loads it.
   */
  Target byId(NamespaceInfo ns, String hex) {
    DurableObjectNamespace objects = objects(ns);
    DurableObjectId id;
    try {
      id = objects.idFromString(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    String name = tools().nameOf(ns.namespaceId(), hex).orElse(null);
    return new Target(ns, name != null ? objects.getByName(name) : objects.get(id));
  }

  /** Reads inside the object's gate; an object without storage is read as an empty one. */
  <T> T read(Target target, ObjectTools.Visit<T> work) {
    return tools().visit(target.stub(), ObjectTools.Access.READ, work);
  }

  /** Writes inside the object's gate, to the object's own storage (creating its file if needed). */
  <T> T write(Target target, ObjectTools.Visit<T> work) {
    return tools().visit(target.stub(), ObjectTools.Access.WRITE, work);
  }

  /**
   * Runs work that may or may not write: on an object without storage, it creates nothing unless
   * it changed something.
   */
  <T> T readUnlessWriting(Target target, ObjectTools.Visit<T> work) {
    return tools().visit(target.stub(), ObjectTools.Access.READ_UNLESS_WRITING, work);
  }

  private DurableObjectNamespace objects(NamespaceInfo ns) {
    return runtime.namespace(ns.binding());
  }
}
