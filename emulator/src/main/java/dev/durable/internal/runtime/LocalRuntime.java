package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.Worker;
import dev.durable.internal.alarm.AlarmScheduler;
import dev.durable.internal.gate.Events;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.OutboundFetch;
import dev.durable.runtime.RuntimeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code DurableRuntime}: namespaces of objects, the worker entry, alarms,
 * eviction and the housekeeping thread. Built by {@code DurableRuntime.Builder}.
 */
public final class LocalRuntime implements DurableRuntime, Housekeeping {
  private static final Logger log = LoggerFactory.getLogger(LocalRuntime.class);
  /** How many object databases may be open at once unless configured. */
  public static final int DEFAULT_OPEN_DATABASES = OpenDatabases.DEFAULT_LIMIT;

  /** What a runtime is built from; {@code DurableRuntime.Builder} documents each. */
  public record Settings(String scriptName, Map<String, Class<? extends DurableObject>> bindings,
      Map<String, Object> vars, Worker worker, Path stateDirectory, RuntimeClock clock,
      OutboundFetch outbound, Duration idleTimeout, int maxOpenDatabases, boolean fsync,
      boolean shareDatabaseFiles, Duration sqlTimeLimit) {}

  private final Map<String, ObjectNamespace> namespaces = new LinkedHashMap<>();
  private final Map<String, ObjectNamespace> byNamespaceId = new LinkedHashMap<>();
  private final RuntimeClock clock;
  private final boolean ownsClock;
  private final AlarmScheduler scheduler;
  private final OutboundFetch outbound;
  private final RuntimeEnv env;
  private volatile Worker worker;
  private final ExecutionContext workerContext;
  private final Duration idleTimeout;
  private final ScheduledThreadPoolExecutor housekeeping;
  private final Set<CompletionStage<?>> pendingWork = ConcurrentHashMap.newKeySet();
  private final Path stateDirectory;
  private final boolean fsync;
  private final boolean shareDatabaseFiles;
  private volatile boolean closed;
  private final LocalObjectTools tools;

  /** Builds a runtime; {@link #start()} starts its timers. */
  public LocalRuntime(Settings b) {
    this.clock = b.clock() != null ? b.clock() : new SystemClock();
    this.ownsClock = b.clock() == null;
    this.outbound = b.outbound() != null ? b.outbound() : new HttpOutbound();
    this.idleTimeout = b.idleTimeout();
    this.stateDirectory = b.stateDirectory();
    this.fsync = b.fsync();
    this.shareDatabaseFiles = b.shareDatabaseFiles();
    this.housekeeping = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("durable-housekeeping").factory());
    this.housekeeping.setRemoveOnCancelPolicy(true);
    OpenDatabases openDatabases = new OpenDatabases(this, this::allNamespaces, b.maxOpenDatabases());
    this.scheduler = new AlarmScheduler(clock, (nsId, objectId, time, retry) -> {
      ObjectNamespace ns = alarmNamespace(nsId);
      if (ns != null && !closed) {
        ns.deliverAlarm(objectId, time, retry);
      }
    });
    this.env = new RuntimeEnv(namespaces, byNamespaceId, b.vars());
    this.tools = new LocalObjectTools(env, namespaces.values());
    this.workerContext = new ExecutionContext() { // of worker events: close() waits for their work
      @Override
      public void waitUntil(CompletionStage<?> work) {
        pendingWork.add(work);
        work.whenComplete((r, e) -> pendingWork.remove(work));
      }

      @Override
      public Response fetch(Request request) {
        return Events.withGateOpen(() -> outbound.fetch(request));
      }
    };
    ObjectServices services = new ObjectServices(clock, outbound, this, openDatabases, fsync,
        shareDatabaseFiles, b.sqlTimeLimit(), tools, env, scheduler);
    Map<String, Long> simpleNames = b.bindings().values().stream().distinct()
        .collect(Collectors.groupingBy(Class::getSimpleName, Collectors.counting()));
    b.bindings().forEach((binding, cls) -> {
      // Two classes with one simple name (a.Counter, b.Counter) each get a namespace of their
      // own, named by the qualified name; a class alone keeps Miniflare's <script>-<Class>.
      String className = simpleNames.get(cls.getSimpleName()) > 1 ? cls.getName() : cls.getSimpleName();
      String id = b.scriptName() + "-" + className;
      Path dir = stateDirectory == null ? null : stateDirectory.resolve("do").resolve(id);
      ObjectNamespace ns = new ObjectNamespace(binding, id, cls, dir, services, null);
      if (byNamespaceId.putIfAbsent(ns.namespaceId(), ns) != null) {
        throw new IllegalArgumentException("Two bindings use class " + cls.getName()
            + "; each Durable Object class may be bound once");
      }
      namespaces.put(binding, ns);
    });
    this.worker = b.worker();
  }

  /**
   * The namespace the alarm scheduler knows by this key: a namespace id, or for facets
   * {@code <namespace id>/<owner id>/<facet class>} (see {@link FacetNamespaces.Owner#alarmKey}).
   */
  private ObjectNamespace alarmNamespace(String key) {
    int owner = key.indexOf('/');
    if (owner < 0) {
      return byNamespaceId.get(key);
    }
    int facetClass = key.indexOf('/', owner + 1);
    ObjectNamespace parent = byNamespaceId.get(key.substring(0, owner));
    return parent == null ? null : parent.facets()
        .existing(key.substring(owner + 1, facetClass), key.substring(facetClass + 1)).orElse(null);
  }

  /** The bound namespaces, then the facet namespaces of their objects. */
  private List<ObjectNamespace> allNamespaces() {
    return FacetNamespaces.withFacets(namespaces.values());
  }

  /** Starts timers: stored alarms (due ones fire now) and idle eviction. */
  public LocalRuntime start() {
    // Facets' stores are all read before any alarm can fire and set a facet's first alarm.
    List<ObjectNamespace> facetsWithAlarms = namespaces.values().stream()
        .flatMap(ns -> ns.facets().readStoredAlarms().stream()).toList();
    namespaces.values().forEach(ns -> ns.alarms().scheduleStored());
    facetsWithAlarms.forEach(ns -> ns.alarms().scheduleStored());
    if (!idleTimeout.isZero()) {
      long period = Math.max(50, idleTimeout.toMillis() / 4);
      housekeeping.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public Env env() {
    return env;
  }

  @Override
  public ObjectNamespace namespace(String bindingOrNamespaceId) {
    return env.durableObject(bindingOrNamespaceId);
  }

  @Override
  public LocalObjectTools tools() {
    return tools;
  }

  @Override
  public RuntimeClock clock() {
    return clock;
  }

  @Override
  public Path stateDirectory() {
    return stateDirectory;
  }

  @Override
  public boolean hasWorker() {
    return worker != null;
  }

  @Override
  public Response fetch(Request request, Consumer<String> objectsCalled) {
    Worker w = requireWorker();
    return VirtualThreads.call(() -> {
      WorkerCalls.observe(objectsCalled);
      try {
        return ObjectStub.nonNull(w.fetch(request, env, workerContext), w);
      } finally {
        WorkerCalls.stop();
      }
    });
  }

  @Override
  public void scheduled(ScheduledEvent event) {
    Worker w = requireWorker();
    VirtualThreads.call(() -> {
      w.scheduled(event, env, workerContext);
      return null;
    });
  }

  private Worker requireWorker() {
    Worker w = worker;
    if (w == null) {
      throw new IllegalStateException("No worker entry is configured (set 'main' in durable.jsonc)");
    }
    return w;
  }

  @Override
  public void reload(Map<String, Class<? extends DurableObject>> classes, Worker newWorker) {
    if (!classes.keySet().equals(namespaces.keySet())) {
      throw new IllegalArgumentException("Live reload cannot change the bindings (had "
          + namespaces.keySet() + ", got " + classes.keySet() + "); restart to apply");
    }
    if ((worker == null) != (newWorker == null)) {
      throw new IllegalArgumentException("Live reload cannot add or remove the worker; restart to apply");
    }
    classes.forEach((binding, cls) -> namespaces.get(binding).checkReplacement(cls));
    this.worker = newWorker;
    classes.forEach((binding, cls) -> namespaces.get(binding).replaceClass(cls));
    namespaces.values().forEach(ns -> ns.facets().reloadClasses());
  }

  @Override
  public void closeWebSockets(int code, String reason) {
    allNamespaces().forEach(ns -> ns.closeWebSockets(code, reason));
  }

  @Override
  public void evictAll() {
    for (ObjectNamespace ns : allNamespaces()) {
      List.copyOf(ns.handles()).forEach(ObjectHandle::evict);
    }
  }

  @Override
  public boolean fsync() {
    return fsync;
  }

  @Override
  public boolean shareDatabaseFiles() {
    return shareDatabaseFiles;
  }

  /**
   * Runs an action on the housekeeping thread after a real-time delay unless cancelled (limits
   * such as 30 s, housekeeping that comes back later).
   */
  @Override
  public RuntimeClock.Timer watchdog(Duration delay, Runnable action) {
    try {
      ScheduledFuture<?> f = housekeeping.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> {}; // closing: nothing runs after the runtime, and close() ends what is left
    }
  }

  /** Runs housekeeping work off the caller's thread; nothing once the runtime is closing. */
  @Override
  public void background(Runnable work) {
    if (closed) {
      return;
    }
    try {
      housekeeping.execute(work);
    } catch (RejectedExecutionException e) {
      // Closed since the check: see watchdog().
    }
  }

  private void evictIdle() {
    long idleNanos = idleTimeout.toNanos();
    for (ObjectNamespace ns : allNamespaces()) {
      for (ObjectHandle h : ns.handles()) {
        if (h.lastActiveNanos() + idleNanos < System.nanoTime()) {
          try {
            h.evictIfIdle(idleNanos);
          } catch (RuntimeException e) {
            // An exception out of a periodic task cancels it: one object must not stop eviction.
            log.error("Evicting {} failed; it stays in memory", h.describe(), e);
          }
        }
      }
      if (ns.owner() != null && ns.handles().isEmpty()) {
        // One object's facets of one class: their alarm file would stay open for every object
        // that ever had facets (three file descriptors each) without this.
        ns.alarms().close();
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.close();
    try {
      CompletableFuture.allOf(pendingWork.stream().map(CompletionStage::toCompletableFuture)
          .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Shutting down regardless: what was committed is safe.
    }
    housekeeping.shutdownNow();
    List<RuntimeException> failures = new ArrayList<>();
    for (ObjectNamespace ns : namespaces.values()) {
      try {
        ns.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (ownsClock && clock instanceof SystemClock s) {
      s.close();
    }
    if (!failures.isEmpty()) {
      DurableObjectException e = new DurableObjectException("Closing the runtime failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
