package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectStub;
import dev.durable.internal.storage.tools.Scratch;
import dev.durable.internal.storage.tools.StoredObjectView;
import dev.durable.runtime.ObjectTools;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ObjectTools} over a {@link LocalRuntime}'s namespaces and handles. Visits run as
 * {@link ObjectHandle#inspect} tasks, so browsing never builds an instance nor keeps one in
 * memory longer; an object without storage is read from a {@link Scratch}.
 *
 * <p>Names found are cached: a name never changes for an id. An object without a name may get
 * one later (a file still being written), so absence is not cached.
 */
public final class LocalObjectTools implements ObjectTools {
  private static final ClassValue<List<Method>> METHODS = new ClassValue<>() {
    @Override
    protected List<Method> computeValue(Class<?> type) {
      return Rpc.callableMethods(type);
    }
  };

  private final RuntimeEnv env;
  private final Collection<ObjectNamespace> namespaces;
  private final StoredObjectIds storedIds = new StoredObjectIds();
  private final Map<String, Map<String, String>> names = new ConcurrentHashMap<>();

  /** Tools over {@code namespaces} (a live view, in binding order), looked up through {@code env}. */
  LocalObjectTools(RuntimeEnv env, Collection<ObjectNamespace> namespaces) {
    this.env = env;
    this.namespaces = namespaces;
  }

  /** The tools of the runtime that made a stub. */
  public static ObjectTools of(DurableObjectStub object) {
    return stubNamespace(object).services().tools();
  }

  @Override
  public List<NamespaceInfo> namespaces() {
    return namespaces.stream().map(LocalObjectTools::info).toList();
  }

  @Override
  public NamespaceInfo namespaceOf(DurableObjectStub object) {
    return info(handleOf(object).namespace());
  }

  private static NamespaceInfo info(ObjectNamespace ns) {
    return new NamespaceInfo(ns.binding(), ns.namespaceId(), ns.objectClass(),
        METHODS.get(ns.objectClass()), ns.openWebSockets());
  }

  @Override
  public List<String> storedIds(String namespace) {
    return storedIds.of(env.durableObject(namespace));
  }

  @Override
  public List<ObjectInMemory> inMemory(String namespace) {
    return env.durableObject(namespace).handles().stream()
        .map(h -> new ObjectInMemory(h.id(), h.isLive())).toList();
  }

  @Override
  public Optional<String> nameOf(String namespace, String id) {
    ObjectNamespace ns = env.durableObject(namespace);
    Map<String, String> known = names.computeIfAbsent(ns.namespaceId(), k -> new ConcurrentHashMap<>());
    String name = known.get(id);
    if (name == null) { // read outside the map's locks: pages read names in parallel
      name = ns.nameOf(id);
      if (name != null) {
        known.put(id, name);
      }
    }
    return Optional.ofNullable(name);
  }

  @Override
  public <T> T visit(DurableObjectStub object, Access access, Visit<T> work) {
    ObjectHandle handle = handleOf(object);
    ObjectNamespace ns = handle.namespace();
    return handle.inspect(instance -> {
      // The handle whose gate the task holds: a retired handle's successor, if it was.
      ObjectHandle h = ns.handle(handle.id());
      boolean live = instance != null;
      boolean stored = h.database().exists();
      if (!stored && access != Access.WRITE) {
        try (Scratch scratch = new Scratch(h.id().name().orElse(null), h.alarm())) {
          Scratch.ChangeMark before = access == Access.READ ? null : scratch.changeMark();
          T result = work.run(scratch.view(h.id(), live));
          if (before == null || scratch.changeMark().equals(before)) {
            return result;
          }
        }
        stored = true;
      }
      return work.run(new StoredObjectView(h.id(), h.storage(), h.database(), stored, live));
    });
  }

  @Override
  public <T extends DurableObject, R> R runInObject(DurableObjectStub object, InstanceWork<T, R> work) {
    ObjectHandle handle = handleOf(object);
    return handle.run(instance -> {
      @SuppressWarnings("unchecked")
      T typed = (T) instance;
      return work.run(typed, handle.state());
    }, true);
  }

  @Override
  public boolean isLive(DurableObjectStub object) {
    return handleOf(object).isLive();
  }

  @Override
  public boolean evict(DurableObjectStub object) {
    // Looked up, not made: an object without a handle has nothing in memory to evict.
    ObjectHandle handle = ownNamespace(object).existingHandle(object.id().toString());
    if (handle == null) {
      return false;
    }
    boolean wasLive = handle.isLive();
    handle.evict();
    return wasLive;
  }

  @Override
  public void failNextCommit(DurableObjectStub object, String reason) {
    ObjectHandle handle = handleOf(object);
    handle.run(obj -> {
      handle.database().failNextCommit(reason);
      return null;
    }, false);
  }

  @Override
  public boolean runAlarm(DurableObjectStub object) {
    return handleOf(object).alarmDelivery().runNow();
  }

  @Override
  public List<DurableObjectStub> facets(DurableObjectStub object) {
    ObjectNamespace ns = ownNamespace(object);
    if (ns.facets() == null) {
      return List.of();
    }
    return ns.facets().list(object.id().toString()).stream()
        .map(f -> (DurableObjectStub) new ObjectStub(f.namespace(), f.id())).toList();
  }

  @Override
  public Optional<DurableObjectStub> facet(DurableObjectStub object, String name) {
    ObjectNamespace ns = ownNamespace(object);
    ObjectFacets.checkName(name);
    if (ns.facets() == null) {
      return Optional.empty();
    }
    return ns.facets().find(object.id().toString(), name).map(f -> new ObjectStub(f.namespace(), f.id()));
  }

  @Override
  public boolean deleteFacet(DurableObjectStub object, String name) {
    ObjectNamespace ns = ownNamespace(object);
    ObjectFacets.checkName(name);
    return ns.facets() != null && ns.facets().delete(object.id().toString(), name);
  }

  @Override
  public boolean owns(DurableObjectStub object) {
    return of(object) == this;
  }

  /** The stub's handle; says clearly when the stub is not of this runtime. */
  private ObjectHandle handleOf(DurableObjectStub object) {
    return ownNamespace(object).handle(object.id());
  }

  private ObjectNamespace ownNamespace(DurableObjectStub object) {
    if (object == null) {
      throw new IllegalArgumentException("Expected a stub, got null");
    }
    ObjectNamespace ns = stubNamespace(object);
    if (ns.services().tools() != this) {
      throw new IllegalArgumentException(object + " belongs to another runtime than this one");
    }
    return ns;
  }

  /**
   * The namespace of a stub a runtime made: found without making a handle, so
   * asking about a stub (whose runtime is it?) changes nothing. Fails for stubs not made by a
   * runtime, and for stubs of a runtime that was closed.
   */
  private static ObjectNamespace stubNamespace(DurableObjectStub stub) {
    if (!(stub instanceof ObjectStub s)) {
      throw new IllegalArgumentException("Not a stub made by a Durable Objects runtime: " + stub
          + "; get stubs from env.durableObject(binding)");
    }
    if (s.namespace().isClosed()) {
      throw new IllegalStateException(stub + " belongs to a runtime that was closed;"
          + " make stubs from the running runtime's env()");
    }
    return s.namespace();
  }
}
