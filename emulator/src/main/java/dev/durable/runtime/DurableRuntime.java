package dev.durable.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectNamespace;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.Worker;
import dev.durable.internal.runtime.LocalRuntime;
import dev.durable.internal.storage.NativeSqliteCache;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Durable Objects runtime: namespaces of objects, the worker entry, alarms and eviction. The
 * dev server, the test kit and the REPL's embedded mode all build one with {@link #builder()};
 * it is not meant to be implemented elsewhere.
 *
 * <pre>{@code
 * try (DurableRuntime rt = DurableRuntime.builder()
 *     .bind("COUNTER", Counter.class)
 *     .stateDirectory(Path.of(".durable/state"))
 *     .build()) {
 *   rt.env().durableObject("COUNTER").getByName("a").fetch(Request.get("/"));
 * }
 * }</pre>
 */
public interface DurableRuntime extends AutoCloseable {
  /** The default idle time after which an instance is evicted. */
  Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
  /** How long one SQL statement may run unless configured (see {@link Builder#sqlTimeLimit}). */
  Duration DEFAULT_SQL_TIME_LIMIT = Duration.ofSeconds(30);

  /**
   * Loads the storage engine (SQLite's native library) now, on the calling thread: optional, a
   * head start for a process about to build runtimes, such as a test JVM.
   */
  static void loadStorage() {
    NativeSqliteCache.load();
  }

  /** A builder for a runtime. */
  static Builder builder() {
    return new Builder();
  }

  /** The worker's environment: bindings and vars. */
  Env env();

  /**
   * The namespace bound under a name, or named by its namespace id ({@code app-Counter}), as
   * {@code env().durableObject(binding)} gives it.
   */
  DurableObjectNamespace namespace(String bindingOrNamespaceId);

  /** What tools (explorer, REPL, test kit) use to list objects and work inside them. */
  ObjectTools tools();

  /** The runtime's clock. */
  RuntimeClock clock();

  /** The instant of the runtime's clock. */
  default Instant now() {
    return clock().instant();
  }

  /** The state directory, or null in memory. */
  Path stateDirectory();

  /** Whether a worker entry is configured. */
  boolean hasWorker();

  /** Sends a request to the worker's {@code fetch}. */
  default Response fetch(Request request) {
    return fetch(request, object -> {});
  }

  /**
   * Sends a request to the worker's {@code fetch} and tells {@code objectsCalled} each object
   * the worker called for it, as {@code BINDING/name-or-id} (the dev server logs them).
   */
  Response fetch(Request request, Consumer<String> objectsCalled);

  /** Runs the worker's {@code scheduled} handler. */
  void scheduled(ScheduledEvent event);

  /**
   * Swaps in new versions of the bound classes and the worker (live reload) without stopping:
   * instances are evicted and rebuilt from storage on their next event; alarms and hibernatable
   * WebSockets stay. Every binding must be given, each class keeping its simple name; nothing
   * changes when one is wrong.
   */
  void reload(Map<String, Class<? extends DurableObject>> classes, Worker newWorker);

  /** Closes every hibernatable WebSocket with a code the clients see (e.g. 1001 going away). */
  void closeWebSockets(int code, String reason);

  /** Evicts every live instance now (state stays in storage). */
  void evictAll();

  /** Whether commits wait for the disk (see {@link Builder#fsync(boolean)}). */
  boolean fsync();

  /** Whether other connections may read open object databases (see {@link Builder#shareDatabaseFiles}). */
  boolean shareDatabaseFiles();

  /**
   * Stops the runtime: waits (up to 10 s) for background work, commits pending writes and closes
   * every database. Alarms stay persisted.
   */
  @Override
  void close();

  /** Configures a {@link DurableRuntime}. */
  final class Builder {
    private String scriptName = "app";
    private final Map<String, Class<? extends DurableObject>> bindings = new LinkedHashMap<>();
    private final Map<String, Object> vars = new LinkedHashMap<>();
    private Worker worker;
    private Path stateDirectory;
    private RuntimeClock clock;
    private OutboundFetch outbound;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private int maxOpenDatabases = LocalRuntime.DEFAULT_OPEN_DATABASES;
    private boolean fsync;
    private boolean shareDatabaseFiles;
    private Duration sqlTimeLimit = DEFAULT_SQL_TIME_LIMIT;

    private Builder() {}

    /** The worker's name: namespace ids are {@code <script>-<Class>}. Default {@code app}. */
    public Builder scriptName(String name) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("Script name must be letters, digits, '-' or '_', got '"
            + name + "'");
      }
      this.scriptName = name;
      return this;
    }

    /** Binds a Durable Object class under a name ({@code env.durableObject(name)}). */
    public Builder bind(String binding, Class<? extends DurableObject> objectClass) {
      if (binding == null || binding.isBlank()) {
        throw new IllegalArgumentException("Binding name must not be empty");
      }
      if (objectClass == null) {
        throw new IllegalArgumentException("Binding " + binding + " needs a class");
      }
      if (bindings.putIfAbsent(binding, objectClass) != null) {
        throw new IllegalArgumentException("Binding " + binding + " is already bound");
      }
      return this;
    }

    /** A variable visible as {@code env.var(name)}. */
    public Builder var(String name, Object value) {
      vars.put(name, value);
      return this;
    }

    /** Several variables. */
    public Builder vars(Map<String, ?> values) {
      vars.putAll(values);
      return this;
    }

    /** The worker entry (optional). */
    public Builder worker(Worker worker) {
      this.worker = worker;
      return this;
    }

    /** Keeps state in this directory ({@code <dir>/do/<script>-<Class>/<id>.sqlite}). */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /** Keeps state in memory only (the default when no state directory is set). */
    public Builder inMemory() {
      this.stateDirectory = null;
      return this;
    }

    /** The clock for alarms and {@code now()} (default: the system clock). */
    public Builder clock(RuntimeClock clock) {
      this.clock = clock;
      return this;
    }

    /** Handles outbound fetches (default: a real HTTP client). */
    public Builder outboundFetch(OutboundFetch outbound) {
      this.outbound = outbound;
      return this;
    }

    /** How long an instance may stay idle before eviction; zero means never. */
    public Builder idleTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException("Idle timeout must be zero or positive, got " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /** At most this many object databases open at once (older idle ones are closed). */
    public Builder maxOpenDatabases(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxOpenDatabases must be at least 1, got " + limit);
      }
      this.maxOpenDatabases = limit;
      return this;
    }

    /**
     * Whether every commit waits until the disk has it. Off (the default), an acknowledged
     * write survives a crash or {@code kill -9} of the process, because it has reached the
     * operating system; a power loss or kernel crash may lose the last writes. On, it survives
     * those too, at several times the cost per commit.
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Whether an open object database takes SQLite's usual locks (shared memory, a lock call per
     * transaction), so that other connections and programs can read it while the object runs.
     * Off by default: the connection holds the file's lock while open, which halves the system
     * calls of an object's first request; other readers wait until the object is evicted.
     */
    public Builder shareDatabaseFiles(boolean share) {
      this.shareDatabaseFiles = share;
      return this;
    }

    /**
     * How long one SQL statement of an object may run before it is stopped with a
     * {@code SqlException} ({@code SQLITE_INTERRUPT}); zero means no limit. Default 30 s, as
     * Cloudflare bounds an event's CPU time: a runaway query (an unbounded recursive CTE) would
     * otherwise hold its object's gate for ever.
     */
    public Builder sqlTimeLimit(Duration limit) {
      if (limit == null || limit.isNegative()) {
        throw new IllegalArgumentException("SQL time limit must be zero or positive, got " + limit);
      }
      this.sqlTimeLimit = limit;
      return this;
    }

    /** Builds and starts the runtime: stored alarms are scheduled, due ones fire. */
    public DurableRuntime build() {
      return new LocalRuntime(new LocalRuntime.Settings(scriptName, new LinkedHashMap<>(bindings),
          new LinkedHashMap<>(vars), worker, stateDirectory, clock, outbound, idleTimeout,
          maxOpenDatabases, fsync, shareDatabaseFiles, sqlTimeLimit)).start();
    }
  }

}
