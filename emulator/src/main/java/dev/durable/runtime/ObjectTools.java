package dev.durable.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.internal.runtime.LocalObjectTools;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How tools (the explorer, the REPL's server routes, the test kit) reach a runtime's objects:
 * list them without waking them, work on one inside its input gate, evict it, make its next
 * commit fail. Tools never see storage tables or database connections. Get it from
 * {@link DurableRuntime#tools()}.
 *
 * <pre>{@code
 * ObjectTools tools = runtime.tools();
 * DurableObjectStub counter = runtime.env().durableObject("COUNTER").getByName("a");
 * long entries = tools.visit(counter, ObjectTools.Access.READ, ObjectView::entryCount);
 * }</pre>
 *
 * <p>A namespace is named by its binding ({@code COUNTER}) or its namespace id
 * ({@code app-Counter}); an object by a stub of this runtime.
 */
public interface ObjectTools {
  /**
   * The tools of the runtime that made a stub, for helpers that are given only the stub (such as
   * the test kit's {@code assertThat(stub)}).
   *
   * @throws IllegalArgumentException for a stub no runtime made
   * @throws IllegalStateException for a stub of a runtime that was closed
   */
  static ObjectTools of(DurableObjectStub object) {
    return LocalObjectTools.of(object);
  }

  /** Every namespace, in binding order. */
  List<NamespaceInfo> namespaces();

  /** The namespace of one of this runtime's objects. */
  NamespaceInfo namespaceOf(DurableObjectStub object);

  /** The sorted ids of a namespace's objects that have storage, read without waking any. */
  List<String> storedIds(String namespace);

  /** The objects of a namespace that the runtime holds in memory, live or recently used. */
  List<ObjectInMemory> inMemory(String namespace);

  /** The name of an object made by name, from memory or its stored data, without waking it. */
  Optional<String> nameOf(String namespace, String id);

  /** Runs work inside the object's input gate without building its instance; writes commit as an event's. */
  <T> T visit(DurableObjectStub object, Access access, Visit<T> work);

  /** Runs work on the object's instance (built if needed) as one of its events. */
  <T extends DurableObject, R> R runInObject(DurableObjectStub object, InstanceWork<T, R> work);

  /**
   * Whether a stub is one of this runtime's, which the methods here take; false for a stub of
   * another runtime.
   *
   * @throws IllegalArgumentException for a stub no runtime made
   * @throws IllegalStateException for a stub of a runtime that was closed
   */
  boolean owns(DurableObjectStub object);

  /** Whether the object's instance is live in memory. */
  boolean isLive(DurableObjectStub object);

  /** Evicts the object as its idle timeout would; returns whether an instance was live. */
  boolean evict(DurableObjectStub object);

  /** Makes the object's next commit fail with this reason (fault injection for tests). */
  void failNextCommit(DurableObjectStub object, String reason);

  /** Runs the object's pending alarm now, as if it had come due; false when none is set. */
  boolean runAlarm(DurableObjectStub object);

  /**
   * The facets of an object (the children it made with {@code ctx.facets().get}) that have
   * storage or a live instance, by name, as stubs the methods here take; read without waking any.
   * Their ids carry their names; {@link #namespaceOf} gives their class. Empty for a facet.
   */
  List<DurableObjectStub> facets(DurableObjectStub object);

  /** A stub of the object's facet with this name, if it has one (see {@link #facets}). */
  Optional<DurableObjectStub> facet(DurableObjectStub object, String name);

  /**
   * Deletes one facet of the object, as its {@code ctx.facets().delete(name)} would: instance,
   * storage, alarm and WebSockets. Returns whether it existed.
   */
  boolean deleteFacet(DurableObjectStub object, String name);

  /** How a visit treats an object that has no storage yet. */
  enum Access {
    /** Reads it as an empty object; nothing is created. */
    READ,
    /** Works on the object itself, creating its storage if the work writes. */
    WRITE,
    /** Runs on an empty stand-in first; only work that changed it runs again on the object. */
    READ_UNLESS_WRITING
  }

  /** Work inside an object's gate. */
  interface Visit<T> {
    /** Runs with the gate held. */
    T run(ObjectView object) throws Exception;
  }

  /** Work on an object's instance. */
  interface InstanceWork<T extends DurableObject, R> {
    /** Runs as one event of the object. */
    R run(T instance, DurableObjectState state) throws Exception;
  }

  /**
   * A bound namespace: binding ({@code COUNTER}), namespace id ({@code app-Counter}), class, the
   * methods tools may call by name ({@link DurableObjectStub#call}), WebSockets open now.
   */
  record NamespaceInfo(String binding, String namespaceId, Class<? extends DurableObject> objectClass,
      List<Method> methods, int openWebSockets) {
    /** The worker's name, the part of the namespace id before the class. */
    public String script() {
      return namespaceId.substring(0, namespaceId.lastIndexOf('-'));
    }

    /**
     * The class as the namespace id names it: the simple name ({@code Counter}), or the
     * qualified name when two bound classes share the simple name.
     */
    public String className() {
      return namespaceId.substring(namespaceId.lastIndexOf('-') + 1);
    }
  }

  /** An object the runtime holds in memory: its id (named when made by name), whether live. */
  record ObjectInMemory(DurableObjectId id, boolean live) {}

  /** A key-value entry as stored: the value's bytes (JSON for values this runtime wrote). */
  record Entry(String key, byte[] value) {}

  /** One step of a query plan, as SQLite's {@code EXPLAIN QUERY PLAN} gives it. */
  record PlanStep(long id, long parent, String detail) {}

  /**
   * A user table or view; {@code type} is SQLite's ({@code table}, {@code view}, {@code virtual},
   * {@code shadow}), {@code rowidAlias} the name that reads the rowid (null without one).
   */
  record Table(String name, String type, boolean withoutRowid, boolean strict,
      List<Column> columns, List<Index> indexes, String sql, String rowidAlias) {

    /** The columns that address one row: the primary key, else the rowid; empty for views. */
    public List<String> key() {
      List<String> pk = primaryKey();
      if (!pk.isEmpty() && !type.equals("view")) {
        return pk;
      }
      return rowidAlias == null ? List.of() : List.of(rowidAlias);
    }

    /** The primary key's columns in key order. */
    public List<String> primaryKey() {
      return columns.stream().filter(c -> c.pk() > 0)
          .sorted(Comparator.comparingInt(Column::pk)).map(Column::name).toList();
    }

    /** Whether the key is the rowid read under {@link #rowidAlias()} (not a declared column). */
    public boolean keyIsRowid() {
      return rowidAlias != null && key().equals(List.of(rowidAlias))
          && columns.stream().noneMatch(c -> c.name().equalsIgnoreCase(rowidAlias));
    }
  }

  /** A column; {@code pk} is its position in the primary key (0 when not part of it). */
  record Column(String name, String type, boolean notNull, String defaultValue, int pk,
      boolean generated) {}

  /** An index; {@code origin} is SQLite's: {@code c} created, {@code u} unique, {@code pk}. */
  record Index(String name, boolean unique, String origin, boolean partial, List<String> columns) {}
}
