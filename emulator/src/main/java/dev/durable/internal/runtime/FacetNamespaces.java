package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectId;
import dev.durable.Facets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facets of one namespace's objects. Each object that has facets gets, per facet class, a
 * namespace of its own kept in {@code <namespace dir>/<object id>.facets/<qualified class name>/}:
 * {@code <id>.sqlite} per facet and a {@code metadata.sqlite} for their alarms, as in a namespace
 * directory. Listing the namespace's objects reads only {@code <id>.sqlite} names, so it never
 * mistakes this directory for an object.
 *
 * <p>An object's facet namespaces are found on disk the first time its facets are asked for;
 * those made later are registered here as they are made. A facet's id is the one its class's
 * namespace would give its name (stable across restarts and renames of the parent's class).
 */
final class FacetNamespaces {
  private static final Logger log = LoggerFactory.getLogger(FacetNamespaces.class);
  /** What an object's directory of facets is called after its id. */
  static final String SUFFIX = ".facets";

  /** An object that holds facets: its namespace and its id's hex. */
  record Owner(ObjectNamespace namespace, String objectId) {
    /** The key the alarm scheduler knows one class of this object's facets by. */
    String alarmKey(Class<?> facetClass) {
      return namespace.namespaceId() + "/" + objectId + "/" + facetClass.getName();
    }
  }

  private final ObjectNamespace namespace;
  /** By owner id, by qualified class name: the namespace of that owner's facets of that class. */
  private final Map<String, Map<String, ObjectNamespace>> byOwner = new ConcurrentHashMap<>();

  FacetNamespaces(ObjectNamespace namespace) {
    this.namespace = namespace;
  }

  /** The namespace of an object's facets of one class, made on first use. */
  ObjectNamespace namespaceFor(String ownerId, Class<? extends DurableObject> facetClass) {
    return of(ownerId).computeIfAbsent(facetClass.getName(), k -> create(ownerId, facetClass));
  }

  /** The namespace of an object's facets of the class with this qualified name, if it has one. */
  Optional<ObjectNamespace> existing(String ownerId, String className) {
    return Optional.ofNullable(of(ownerId).get(className));
  }

  /** Every facet namespace known so far, of every object. */
  List<ObjectNamespace> all() {
    return byOwner.values().stream().flatMap(m -> m.values().stream()).toList();
  }

  /** The id of an object's facet with this name, and its namespace; empty when it has none. */
  Optional<FacetRef> find(String ownerId, String name) {
    for (ObjectNamespace ns : of(ownerId).values()) {
      DurableObjectId id = ns.idFromName(name);
      if (exists(ns, id.toString())) {
        return Optional.of(new FacetRef(ns, id));
      }
    }
    return Optional.empty();
  }

  /** One facet: the namespace of its class and its id (with its name). */
  record FacetRef(ObjectNamespace namespace, DurableObjectId id) {}

  /** An object's facets that have storage or a live instance, by name. */
  List<FacetRef> list(String ownerId) {
    List<FacetRef> out = new ArrayList<>();
    for (ObjectNamespace ns : of(ownerId).values()) {
      TreeSet<String> ids = new TreeSet<>(ns.storedIds());
      ns.handles().stream().filter(ObjectHandle::isLive).forEach(h -> ids.add(h.id().toString()));
      for (String id : ids) {
        String name = ns.nameOf(id);
        if (name != null) {
          out.add(new FacetRef(ns, DurableObjectId.of(id, name)));
        }
      }
    }
    out.sort(Comparator.comparing(f -> f.id().name().orElseThrow()));
    return out;
  }

  /** The same list as the public API gives it. */
  List<Facets.Facet> describe(String ownerId) {
    return list(ownerId).stream()
        .map(f -> new Facets.Facet(f.id().name().orElseThrow(), f.namespace().objectClass())).toList();
  }

  /** Deletes one facet of an object; returns whether it existed. */
  boolean delete(String ownerId, String name) {
    Optional<FacetRef> facet = find(ownerId, name);
    facet.ifPresent(f -> destroy(f.namespace().handle(f.id()), "its parent deleted it"));
    return facet.isPresent();
  }

  /**
   * Deletes a facet for good: its storage and alarm in one event, then its instance, files and
   * WebSockets. The next event builds a fresh object.
   */
  private static void destroy(ObjectHandle facet, String reason) {
    facet.inspect(obj -> {
      if (facet.database().exists()) {
        facet.storage().deleteAll(); // the alarm too
      } else {
        facet.storage().deleteAlarm();
      }
      return null;
    });
    facet.retire(true);
    facet.namespace().dropSockets(facet.id(), facet.describe() + " was deleted: " + reason);
  }

  /**
   * Deletes every facet of an object and its directory of facets (the object's storage was
   * deleted). The namespaces stay registered: a facet made again later starts empty.
   */
  void deleteAll(String ownerId) {
    Map<String, ObjectNamespace> classes = of(ownerId);
    for (ObjectNamespace ns : classes.values()) {
      TreeSet<String> ids = new TreeSet<>(ns.storedIds());
      ns.handles().forEach(h -> ids.add(h.id().toString()));
      for (String id : ids) {
        String name = ns.nameOf(id);
        destroy(ns.handle(name != null ? ns.idFromName(name) : DurableObjectId.of(id, null)),
            "its parent's storage was deleted");
      }
      ns.alarms().close();
    }
    Path dir = directoryOf(ownerId);
    if (dir != null && Files.exists(dir)) {
      deleteTree(dir);
    }
  }

  /**
   * Reads the stored alarms of the objects' facets at start-up and returns the facet namespaces
   * holding one. Reads only the objects the namespace's alarm store lists (all, if it has no list
   * yet), then makes the list exact, so it must run before any alarm can fire. Closes the files
   * it read: their alarms stay in memory, and a write opens the file again.
   */
  List<ObjectNamespace> readStoredAlarms() {
    Set<String> owners = namespace.alarms().facetOwners().orElseGet(this::ownersOnDisk);
    List<ObjectNamespace> withAlarms = new ArrayList<>();
    Set<String> listed = new TreeSet<>();
    for (String ownerId : owners) {
      if (!isObjectId(ownerId)) {
        continue; // read from a file, and made into a path: the entry is dropped from the list
      }
      for (ObjectNamespace ns : of(ownerId).values()) {
        ns.alarms().close();
        if (!ns.alarms().isEmpty()) {
          withAlarms.add(ns);
          listed.add(ownerId);
        }
      }
      if (of(ownerId).size() < classDirectories(ownerId).size()) {
        listed.add(ownerId); // a facet class not on the class path: its alarms wait for it
      }
    }
    namespace.alarms().replaceFacetOwners(listed);
    return withAlarms;
  }

  private boolean isObjectId(String ownerId) {
    try {
      namespace.idFromString(ownerId);
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("Not reading the facets of \"{}\" in {}: {}", ownerId, namespace.directory(),
          e.getMessage());
      return false;
    }
  }

  /** The ids of the objects that have a directory of facets. */
  private Set<String> ownersOnDisk() {
    Path dir = namespace.directory();
    return new TreeSet<>(ObjectNamespace.fileNames(dir).stream()
        .filter(n -> n.endsWith(SUFFIX) && Files.isDirectory(dir.resolve(n)))
        .map(n -> n.substring(0, n.length() - SUFFIX.length())).toList());
  }

  /**
   * Facet namespaces take their class's new version, found by name where the parent's class now
   * comes from (live reload replaced it).
   */
  void reloadClasses() {
    for (ObjectNamespace ns : all()) {
      String name = ns.objectClass().getName();
      Class<? extends DurableObject> now = load(name);
      if (now == null) {
        log.warn("Facets of class {} keep its old version: the reloaded classes have no Durable"
            + " Object class of that name", name);
      } else if (now != ns.objectClass()) {
        try {
          ns.replaceClass(now);
        } catch (RuntimeException e) {
          log.warn("Facets of class {} keep its old version: {}", name, e.toString());
        }
      }
    }
  }

  /** Closes every facet namespace (the runtime is closing). */
  void close() {
    all().forEach(ObjectNamespace::close);
  }

  private Map<String, ObjectNamespace> of(String ownerId) {
    return byOwner.computeIfAbsent(ownerId, this::stored);
  }

  /** The facet namespaces an object has on disk, one per class directory. */
  private Map<String, ObjectNamespace> stored(String ownerId) {
    Map<String, ObjectNamespace> found = new ConcurrentHashMap<>();
    for (String className : classDirectories(ownerId)) {
      Class<? extends DurableObject> cls = load(className);
      if (cls != null) {
        found.put(className, create(ownerId, cls));
      } else {
        log.warn("Facets of {} in {} are of class {}, which is not a Durable Object class on the"
            + " class path; they are left alone", ownerId, directoryOf(ownerId), className);
      }
    }
    return found;
  }

  /** The names of an object's directories of facets of one class. */
  private List<String> classDirectories(String ownerId) {
    Path dir = directoryOf(ownerId);
    return ObjectNamespace.fileNames(dir).stream().filter(n -> Files.isDirectory(dir.resolve(n))).toList();
  }

  private ObjectNamespace create(String ownerId, Class<? extends DurableObject> facetClass) {
    Path dir = directoryOf(ownerId);
    String nsId = namespace.namespaceId();
    // Its ids are those a namespace of the class would make.
    String facetNamespaceId = nsId.substring(0, nsId.lastIndexOf('-')) + "-" + facetClass.getSimpleName();
    return new ObjectNamespace("facet " + facetClass.getSimpleName(), facetNamespaceId, facetClass,
        dir == null ? null : dir.resolve(facetClass.getName()), namespace.services(),
        new Owner(namespace, ownerId));
  }

  private Path directoryOf(String ownerId) {
    return namespace.directory() == null ? null : namespace.directory().resolve(ownerId + SUFFIX);
  }

  private Class<? extends DurableObject> load(String className) {
    try {
      Class<?> c = Class.forName(className, false, namespace.objectClass().getClassLoader());
      return DurableObject.class.isAssignableFrom(c) ? c.asSubclass(DurableObject.class) : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static boolean exists(ObjectNamespace ns, String id) {
    ObjectHandle h = ns.existingHandle(id);
    if (h != null && (h.isLive() || h.database().exists())) {
      return true;
    }
    return ns.directory() != null && Files.exists(ns.directory().resolve(id + ".sqlite"));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The given top-level namespaces, then the facet namespaces of their objects. */
  static List<ObjectNamespace> withFacets(Collection<ObjectNamespace> topLevel) {
    List<ObjectNamespace> out = new ArrayList<>(topLevel);
    topLevel.forEach(ns -> out.addAll(ns.facets().all()));
    return out;
  }
}
