package dev.durable.internal.runtime;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.internal.alarm.NamespaceAlarms;
import dev.durable.internal.storage.SpareFiles;
import dev.durable.internal.storage.tools.StoredNames;
import dev.durable.internal.websocket.ObjectSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound Durable Object class: its ids, its objects' handles, its directory
 * ({@code <state>/do/<script>-<Class>}) and its alarm store.
 */
public final class ObjectNamespace implements DurableObjectNamespace {
  private static final Logger log = LoggerFactory.getLogger(ObjectNamespace.class);
  private final ObjectServices services;
  private volatile boolean closed;
  private final String binding;
  private final String namespaceId;
  private volatile Class<? extends DurableObject> objectClass;
  private volatile Constructor<? extends DurableObject> constructor;
  private volatile boolean hasAlarmHandler;
  private final Path directory;
  private final IdDerivation ids;
  private final NamespaceAlarms alarms;
  private final SpareFiles spareFiles;
  private final ConcurrentHashMap<String, ObjectHandle> handles = new ConcurrentHashMap<>();
  /** Ids derived from names (three HMACs each), kept for the names in use. */
  private final ConcurrentHashMap<String, DurableObjectId> idsByName = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_NAMES = 10_000;
  private final ConcurrentHashMap<String, ObjectSockets> sockets = new ConcurrentHashMap<>();
  private final FacetNamespaces.Owner owner;
  private final FacetNamespaces facets;

  /**
   * A namespace of top-level objects ({@code owner} null) kept in {@code directory} (null in
   * memory), or of the facets of one class that {@code owner} holds.
   */
  ObjectNamespace(String binding, String namespaceId, Class<? extends DurableObject> objectClass,
      Path directory, ObjectServices services, FacetNamespaces.Owner owner) {
    this.services = services;
    this.binding = binding;
    this.objectClass = objectClass;
    this.namespaceId = namespaceId;
    this.constructor = findConstructor(binding, objectClass);
    this.hasAlarmHandler = overridesAlarm(objectClass);
    this.directory = directory;
    this.ids = new IdDerivation(namespaceId);
    this.alarms = owner == null
        ? new NamespaceAlarms(namespaceId, directory, services.fsync(), services.scheduler())
        : owner.namespace().alarms().forFacets(owner.alarmKey(objectClass), owner.objectId(), directory);
    // Facets' directories hold only their objects: closed databases leave no spares there.
    this.spareFiles = directory == null || owner != null ? null : new SpareFiles(directory);
    this.owner = owner;
    this.facets = owner == null ? new FacetNamespaces(this) : null;
  }

  /** The object whose facets this namespace holds; null for a namespace of top-level objects. */
  FacetNamespaces.Owner owner() {
    return owner;
  }

  /**
   * How messages name the namespace: its id, or for facets their owner and class
   * ({@code app-Inbox/<owner id>/facets/Chat}).
   */
  String label() {
    return owner == null ? namespaceId : owner.namespace().namespaceId() + "/" + owner.objectId()
        + "/facets/" + objectClass.getSimpleName();
  }

  /** The facets of this namespace's objects; null in a namespace of facets (they do not nest). */
  FacetNamespaces facets() {
    return facets;
  }

  /** The binding name, e.g. {@code COUNTER}. */
  public String binding() {
    return binding;
  }

  @Override
  public String namespaceId() {
    return namespaceId;
  }

  /** The bound class. */
  public Class<? extends DurableObject> objectClass() {
    return objectClass;
  }

  /** The namespace directory, or null in memory. */
  public Path directory() {
    return directory;
  }

  @Override
  public DurableObjectId idFromName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("Durable Object name must not be null");
    }
    DurableObjectId id = idsByName.get(name);
    if (id == null) {
      id = ids.fromName(name);
      if (idsByName.size() >= MAX_CACHED_NAMES) {
        idsByName.clear(); // a cache, not a registry: starting over is cheap
      }
      idsByName.put(name, id);
    }
    return id;
  }

  /** A stub by name; the id is this namespace's own, so it needs no check. */
  @Override
  public DurableObjectStub getByName(String name) {
    return new ObjectStub(this, idFromName(name));
  }

  @Override
  public DurableObjectId idFromString(String hex) {
    return own(DurableObjectId.of(hex, null));
  }

  @Override
  public DurableObjectId newUniqueId() {
    return ids.unique();
  }

  @Override
  public DurableObjectStub get(DurableObjectId id) {
    if (id == null) {
      throw new IllegalArgumentException("Durable Object ID must not be null");
    }
    return new ObjectStub(this, own(id));
  }

  private DurableObjectId own(DurableObjectId id) {
    if (!ids.isValid(id.toString())) {
      throw new IllegalArgumentException("Durable Object ID is not valid for this namespace.");
    }
    return id;
  }

  /** The handle of an object, created on first use. */
  public ObjectHandle handle(DurableObjectId id) {
    return handles.computeIfAbsent(id.toString(), k -> {
      ObjectHandle h = new ObjectHandle(this, id, services);
      if (facets != null) { // an object's facets are deleted with its storage
        h.storage().onDeleteAll(() -> facets.deleteAll(k));
      }
      return h;
    });
  }

  /** The handle of an object in memory, by its id's hex, or null: never makes one. */
  ObjectHandle existingHandle(String id) {
    return handles.get(id);
  }

  /** Handles currently in memory (live or recently used). */
  public Collection<ObjectHandle> handles() {
    return handles.values();
  }

  /**
   * Ids of every object with a database file, read from the directory without waking any object
   * (ids of in-memory namespaces come from the handles instead).
   */
  public List<String> storedIds() {
    if (directory == null) {
      return handles.values().stream()
          .filter(h -> h.database().exists())
          .map(h -> h.id().toString()).sorted().toList();
    }
    return fileNames(directory).stream()
        .filter(n -> n.length() == 64 + ".sqlite".length() && n.endsWith(".sqlite"))
        .map(n -> n.substring(0, 64))
        .filter(n -> n.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        .sorted().toList();
  }

  /** The names of the entries of a directory; none when it is null or not a directory. */
  static List<String> fileNames(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The name of an object by its id's hex, from its handle or else its file (made by name, every
   * file keeps it); null for an object made without a name, or not stored.
   */
  String nameOf(String id) {
    ObjectHandle h = handles.get(id);
    if (h != null && h.id().name().isPresent()) {
      return h.id().name().get();
    }
    if (directory == null) {
      return null;
    }
    boolean open = h != null && h.database().isOpen();
    return StoredNames.read(directory.resolve(id + ".sqlite"), open,
        n -> idFromName(n).toString().equals(id));
  }

  /** What the runtime lends this namespace's objects. */
  ObjectServices services() {
    return services;
  }

  /** Whether the runtime was closed: its stubs no longer reach objects. */
  boolean isClosed() {
    return closed;
  }

  /** The {@code -wal} files closed databases left for the next ones; null in memory. */
  SpareFiles spareFiles() {
    return spareFiles;
  }

  NamespaceAlarms alarms() {
    return alarms;
  }

  /** Refuses {@code setAlarm()} for a class without an {@code alarm()} handler, as Cloudflare does. */
  void requireAlarmHandler() {
    if (!hasAlarmHandler) {
      throw new IllegalStateException("Your Durable Object class " + objectClass.getName()
          + " must override alarm(AlarmInfo) in order to call setAlarm()");
    }
  }

  /**
   * Checks a new version of the bound class (live reload): it must keep the name the namespace id
   * is made of, and have the constructor, which is returned.
   */
  Constructor<? extends DurableObject> checkReplacement(Class<? extends DurableObject> newClass) {
    String className = namespaceId.substring(namespaceId.lastIndexOf('-') + 1);
    if (!className.equals(newClass.getSimpleName()) && !className.equals(newClass.getName())) {
      throw new IllegalArgumentException("Binding " + binding + " changed class from "
          + objectClass.getSimpleName() + " to " + newClass.getSimpleName()
          + "; a rename needs a migration (renamed_classes) and a restart");
    }
    return findConstructor(binding, newClass);
  }

  Path objectFile(DurableObjectId id) {
    return directory == null ? null : directory.resolve(id + ".sqlite");
  }

  /**
   * Swaps in a new version of the bound class (live reload): every instance is evicted, so the
   * next event of each object builds it from the new class; storage, alarms and hibernatable
   * WebSockets stay. The class must pass {@link #checkReplacement}.
   */
  void replaceClass(Class<? extends DurableObject> newClass) {
    Constructor<? extends DurableObject> c = checkReplacement(newClass);
    boolean alarmHandler = overridesAlarm(newClass);
    this.objectClass = newClass;
    this.constructor = c;
    this.hasAlarmHandler = alarmHandler;
    for (ObjectHandle h : handles.values()) {
      h.evict();
    }
  }

  /** The hibernatable sockets of an object, created on first use. */
  ObjectSockets sockets(DurableObjectId id) {
    return sockets.computeIfAbsent(id.toString(), k -> new ObjectSockets(() -> handle(id), services.clock()));
  }

  /** The hibernatable sockets of an object, if it ever accepted one or set an auto-response. */
  Optional<ObjectSockets> existingSockets(DurableObjectId id) {
    return Optional.ofNullable(sockets.get(id.toString()));
  }

  /** How many hibernatable WebSockets objects of this namespace hold open. */
  public int openWebSockets() {
    return sockets.values().stream().mapToInt(s -> s.all(null).size()).sum();
  }

  void forget(ObjectHandle handle) {
    handles.remove(handle.id().toString(), handle);
  }

  DurableObject construct(DurableObjectState state) {
    try {
      return constructor.newInstance(state, services.env());
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      log.warn("Constructor of {} threw {}; the object is built again on its next event",
          objectClass.getName(), cause.getClass().getName(), cause);
      throw new DurableObjectException("Constructor of " + objectClass.getName() + " threw "
          + cause.getClass().getName() + ": " + cause.getMessage(), cause.getClass().getName(), cause);
    } catch (ReflectiveOperationException e) {
      throw new DurableObjectException("Could not construct " + objectClass.getName() + ": " + e, e);
    }
  }

  /** Called by the scheduler when an alarm is due. */
  void deliverAlarm(String objectId, Instant scheduled, int retryCount) {
    String name = alarms.objectName(objectId).orElse(null);
    DurableObjectId id = name != null ? ids.fromName(name) : DurableObjectId.of(objectId, null);
    handle(id).alarmDelivery().deliver(scheduled, retryCount);
  }

  void closeWebSockets(int code, String reason) {
    sockets.values().forEach(s -> s.closeAll(code, reason));
  }

  /** Closes and forgets the hibernatable sockets of one object (it is being deleted). */
  void dropSockets(DurableObjectId id, String reason) {
    ObjectSockets s = sockets.remove(id.toString());
    if (s != null) {
      s.closeAll(1001, reason);
    }
  }

  void close() {
    closed = true;
    closeWebSockets(1001, "The emulator is shutting down");
    sockets.clear();
    // A runaway statement holds its object's gate: stopped, its event ends and frees the gate.
    handles.values().forEach(h -> h.database().stopStatements("the emulator is shutting down"));
    handles.values().forEach(h -> h.retire(false));
    handles.clear();
    alarms.close();
    if (facets != null) {
      facets.close();
    }
  }

  private static Constructor<? extends DurableObject> findConstructor(String binding,
      Class<? extends DurableObject> cls) {
    if (Modifier.isAbstract(cls.getModifiers()) || !Modifier.isPublic(cls.getModifiers())) {
      throw new IllegalArgumentException("Durable Object class " + cls.getName() + " (" + binding(binding)
          + ") must be public and not abstract");
    }
    try {
      return cls.getConstructor(DurableObjectState.class, Env.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("Durable Object class " + cls.getName() + " (" + binding(binding)
          + ") needs a public constructor (DurableObjectState ctx, Env env)");
    }
  }

  /** How an error names a namespace: its binding, or what a facet namespace calls itself. */
  private static String binding(String binding) {
    return binding.startsWith("facet ") ? binding : "binding " + binding;
  }

  private static boolean overridesAlarm(Class<? extends DurableObject> cls) {
    try {
      return cls.getMethod("alarm", AlarmInfo.class).getDeclaringClass() != DurableObject.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
