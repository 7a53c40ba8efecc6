package dev.durable.testkit;

import dev.durable.DurableObject;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.Worker;
import dev.durable.internal.config.DurableConfig;
import dev.durable.internal.config.ResolvedConfig;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The test kit: a JUnit Jupiter extension that runs Durable Objects in-process, each test on
 * fresh storage and a {@link ManualClock}, with helpers to reach inside objects.
 *
 * <pre>{@code
 * class CounterTest {
 *   @RegisterExtension
 *   static DurableObjectsExtension dos = DurableObjectsExtension.builder()
 *       .bind("COUNTER", Counter.class)
 *       .worker(new App())
 *       .build();
 *
 *   @Test
 *   void countsAndRemembers() {
 *     DurableObjectStub stub = dos.stub("COUNTER", "a");
 *     stub.as(CounterApi.class).increment(2);
 *     assertThat(stub).hasValue("count", 2);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> Every test method gets its own runtime: empty in-memory storage, no
 * alarms, a new clock at {@link ManualClock#DEFAULT_START} and an empty {@link FetchMock}.
 * Instances are never evicted for idling (only {@link #evict} and {@link #evictAll} evict). The
 * runtime is built before the test's {@code @BeforeEach} methods and closed after its
 * {@code @AfterEach} methods. It lives in memory because that is fastest (a fresh runtime costs
 * well under a millisecond, see BENCHMARKS.md); {@link Builder#storageOnDisk()} puts it in a new
 * temporary directory instead, deleted afterwards. {@link Builder#sharedState()} gives all tests
 * of a class one runtime instead.
 *
 * <p><b>Registration.</b> In a static field the kit serves the whole class (and its
 * {@code @Nested} classes); in an instance field, each test builds its own. As a class
 * annotation, see {@link DurableObjectsTest}. Test methods, {@code @BeforeEach} and
 * {@code @AfterEach} methods may ask for the kit, its {@link ManualClock}, its {@link FetchMock}
 * or the {@link Env} as parameters.
 *
 * <p><b>Failures.</b> When a test (or its {@code @BeforeEach} or {@code @AfterEach}) fails, its
 * failure carries the state of every object the test touched (key-value entries, tables with
 * row counts, alarm) as a suppressed exception, which Maven Surefire and IDEs print under it. A test fails too when an object made an
 * outbound fetch that no {@link FetchMock} route answered.
 *
 * <p><b>Start-up.</b> The first kit made in a JVM starts warming up in the background (loading
 * SQLite, the runtime and the libraries, and running a few typical tests on objects of its own so
 * that the JIT compiles them), and the first test waits for it, at most 0.6 s after the kit was
 * made: a suite's later tests run several times faster for it. {@code -Ddurable.testkit.warmUp=false}
 * turns it off.
 *
 * <p><b>WebSockets.</b> {@link #connectWebSocket} opens an in-process {@link TestWebSocket} to an
 * object; sockets stay open across {@link #evict}, as hibernatable sockets do.
 */
public final class DurableObjectsExtension implements BeforeAllCallback, AfterAllCallback,
    BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler,
    LifecycleMethodExecutionExceptionHandler {

  /** Work done inside an object with its instance and state; see {@link #runInDurableObject}. */
  @FunctionalInterface
  public interface ObjectAction<T extends DurableObject> {
    /** Runs inside the object's gate. */
    void run(T instance, DurableObjectState state) throws Exception;
  }

  /** Work done inside an object that returns a value; see {@link #callInDurableObject}. */
  @FunctionalInterface
  public interface ObjectFunction<T extends DurableObject, R> {
    /** Runs inside the object's gate. */
    R apply(T instance, DurableObjectState state) throws Exception;
  }

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(DurableObjectsExtension.class);
  private static final String PER_TEST = "runtime of the test";
  private static final String PER_CLASS = "runtime shared by the class";

  private volatile KitSettings settings;
  private final Set<TestRuntime> active = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<TestRuntime> onTestThread = new ThreadLocal<>();

  /** Used by JUnit for {@link DurableObjectsTest}: the settings come from the annotation. */
  DurableObjectsExtension() {
    WarmUp.start();
  }

  private DurableObjectsExtension(KitSettings settings) {
    this.settings = settings;
  }

  /** A builder for a kit. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- helpers ----

  /** The current test's environment: bindings and vars, as the worker sees them. */
  public Env env() {
    return current().runtime().env();
  }

  /** A stub for the object of a binding with this name ({@code env.durableObject(binding).getByName(name)}). */
  public DurableObjectStub stub(String binding, String name) {
    return current().stub(binding, name);
  }

  /** The current test's clock: moves only when the test moves it. */
  public ManualClock clock() {
    return current().clock();
  }

  /** The current test's fetch mock, which answers every outbound fetch. */
  public FetchMock fetchMock() {
    return current().fetchMock();
  }

  /**
   * The worker entry, called in-process.
   *
   * @throws IllegalStateException when the kit has no worker
   */
  public WorkerClient worker() {
    return current().worker();
  }

  /** The current test's runtime, for what the helpers do not cover. */
  public DurableRuntime runtime() {
    return current().runtime();
  }

  /**
   * Runs the body inside the object as one of its events: no other event runs meanwhile, the
   * instance is built if it is not live, and the body's storage writes are committed when it
   * returns (rolled back if it throws). Name the body's parameter types to get your class:
   *
   * <pre>{@code
   * dos.runInDurableObject(stub, (Counter counter, DurableObjectState state) -> {
   *   assertThat(state.storage().get("count", Long.class)).contains(2L);
   * });
   * }</pre>
   *
   * The clock cannot move inside the body: the object's alarm could not run while its gate is
   * held.
   */
  public <T extends DurableObject> void runInDurableObject(DurableObjectStub stub, ObjectAction<T> body) {
    if (body == null) {
      throw new IllegalArgumentException("runInDurableObject() needs a body");
    }
    current().<T, Void>callIn(stub, (instance, state) -> {
      body.run(instance, state);
      return null;
    });
  }

  /** Like {@link #runInDurableObject}, returning what the body returns. */
  public <T extends DurableObject, R> R callInDurableObject(DurableObjectStub stub,
      ObjectFunction<T, R> body) {
    return current().callIn(stub, body);
  }

  /**
   * Fires the object's pending alarm now, whatever its time, and returns when the handler and
   * its writes are done; the handler gets the alarm's real {@link dev.durable.AlarmInfo}. A
   * failing handler is retried on the clock as usual.
   *
   * @return false when the object has no alarm set
   */
  public boolean runAlarm(DurableObjectStub stub) {
    return current().tools(stub).runAlarm(stub);
  }

  /**
   * A stub of an object's facet (a child it made with {@code ctx.facets().get}, or an agent's
   * sub-agent), for the methods here: {@code snapshot}, {@code callInDurableObject},
   * {@code runAlarm}, {@code evict}, assertions. Fails when the object has no facet by that name.
   */
  public DurableObjectStub facet(DurableObjectStub parent, String name) {
    return current().facet(parent, name);
  }

  /** The names of an object's facets that have storage or a live instance, sorted. */
  public List<String> facetNames(DurableObjectStub parent) {
    return current().facetNames(parent);
  }

  /** The ids of the objects of a binding that have stored something, sorted by id. */
  public List<DurableObjectId> listIds(String binding) {
    return current().listIds(binding);
  }

  /** The ids of the objects of a namespace that have stored something, sorted by id. */
  public List<DurableObjectId> listIds(DurableObjectNamespace namespace) {
    return current().listIds(namespace);
  }

  /**
   * Drops the object's instance after its running event, as the runtime does when it idles;
   * storage stays and the constructor runs again on the next event. Proves that nothing lived
   * only in fields.
   */
  public void evict(DurableObjectStub stub) {
    current().tools(stub).evict(stub);
  }

  /** Evicts every live instance of the current test's runtime. */
  public void evictAll() {
    current().runtime().evictAll();
  }

  /**
   * Makes the object's next storage commit fail: the event whose writes it carries fails with
   * a {@link dev.durable.DurableObjectException}, its writes are rolled back and the object is
   * reset (its constructor runs again), as when a real commit fails.
   */
  public void failNextCommit(DurableObjectStub stub) {
    current().tools(stub).failNextCommit(stub, "failure injected by failNextCommit()");
  }

  /**
   * Opens a WebSocket to the object: sends it a GET upgrade request for {@code pathAndQuery}
   * and connects to the socket it answers with. Fails showing the answer when it is not a 101.
   */
  public TestWebSocket connectWebSocket(DurableObjectStub stub, String pathAndQuery) {
    if (stub == null || pathAndQuery == null) {
      throw new IllegalArgumentException("connectWebSocket() needs a stub and a path, got " + stub
          + ", " + pathAndQuery);
    }
    return TestWebSocket.from(stub.fetch(WorkerClient.upgrade(pathAndQuery)), stub.toString());
  }

  /** What the object has stored now: entries, tables with row counts, alarm. */
  public ObjectSnapshot snapshot(DurableObjectStub stub) {
    return ObjectSnapshot.read(current().tools(stub), stub);
  }

  // ---- JUnit callbacks ----

  @Override
  public void beforeAll(ExtensionContext context) {
    WarmUp.await();
    KitSettings s = settings(context);
    if (s.sharedState() && context.getStore(STORE).get(PER_CLASS, TestRuntime.class) == null) {
      start(context, PER_CLASS, s);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop(context, PER_CLASS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    WarmUp.await();
    KitSettings s = settings(context);
    TestRuntime rt = s.sharedState() ? context.getStore(STORE).get(PER_CLASS, TestRuntime.class)
        : start(context, PER_TEST, s);
    if (rt == null) {
      throw new ExtensionConfigurationException("sharedState() needs the kit in a static field:"
          + " an instance field builds a kit per test, which cannot share a runtime");
    }
    onTestThread.set(rt);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    onTestThread.remove();
    TestRuntime rt = runtimeOf(context);
    List<String> unmatched = rt == null ? List.of() : rt.unmatchedFetches();
    stop(context, PER_TEST);
    if (!unmatched.isEmpty()) {
      throw new AssertionError("Outbound fetches that no fetch mock route answered: "
          + String.join(", ", unmatched) + "; answer them with dos.fetchMock().on(method, url).reply(...)");
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withStateReport(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withStateReport(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withStateReport(context, failure);
  }

  /** Adds what the objects the test touched hold to its failure, as a suppressed exception. */
  private Throwable withStateReport(ExtensionContext context, Throwable failure) {
    TestRuntime rt = runtimeOf(context);
    if (rt != null && !rt.isClosed()) {
      try {
        String report = FailureReport.of(rt.runtime(), rt.clock());
        if (report != null) {
          failure.addSuppressed(new FailureReport.ObjectStateAtFailure(report));
        }
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    return failure;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == DurableObjectsExtension.class || type == ManualClock.class
        || type == FetchMock.class || type == Env.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == DurableObjectsExtension.class) {
      return this;
    }
    TestRuntime rt = runtimeOf(context);
    if (rt == null) {
      throw new ParameterResolutionException("A " + type.getSimpleName() + " exists only while a test"
          + " runs (from @BeforeEach to @AfterEach; with sharedState() also in @BeforeAll and"
          + " @AfterAll); ask for it there");
    }
    if (type == ManualClock.class) {
      return rt.clock();
    }
    if (type == FetchMock.class) {
      return rt.fetchMock();
    }
    return rt.runtime().env();
  }

  // ---- starting and finding the runtime ----

  private TestRuntime start(ExtensionContext context, String key, KitSettings settings) {
    TestRuntime rt = TestRuntime.start(settings);
    context.getStore(STORE).put(key, rt);
    active.add(rt);
    return rt;
  }

  private void stop(ExtensionContext context, String key) {
    TestRuntime rt = context.getStore(STORE).remove(key, TestRuntime.class);
    if (rt != null) {
      active.remove(rt);
      rt.close();
    }
  }

  private TestRuntime runtimeOf(ExtensionContext context) {
    TestRuntime rt = context.getStore(STORE).get(PER_TEST, TestRuntime.class);
    return rt != null ? rt : context.getStore(STORE).get(PER_CLASS, TestRuntime.class);
  }

  /** The runtime helpers act on: the calling test's, or the only one running. */
  private TestRuntime current() {
    TestRuntime rt = onTestThread.get();
    if (rt != null && !rt.isClosed()) {
      return rt;
    }
    List<TestRuntime> running = List.copyOf(active);
    if (running.size() == 1) {
      return running.get(0);
    }
    if (running.isEmpty()) {
      throw new IllegalStateException("No test of this kit is running: its helpers work while a test"
          + " runs (from @BeforeEach to @AfterEach; with sharedState() also in @BeforeAll/@AfterAll)."
          + " Is the kit registered? Use @RegisterExtension on the field, or @DurableObjectsTest");
    }
    throw new IllegalStateException(running.size() + " tests run at once on this kit; call its"
        + " helpers from the test's own thread, or ask for the kit as a test parameter");
  }

  private KitSettings settings(ExtensionContext context) {
    KitSettings s = settings;
    if (s == null) {
      s = KitSettings.fromAnnotation(context.getRequiredTestClass());
      settings = s;
    }
    return s;
  }

  /** Configures a kit: its bindings, worker, vars and how tests share state. */
  public static final class Builder {
    private final Map<String, Class<? extends DurableObject>> bindings = new LinkedHashMap<>();
    private final Map<String, Object> vars = new LinkedHashMap<>();
    private final List<Consumer<DurableRuntime.Builder>> customizers = new ArrayList<>();
    private Worker worker;
    private boolean sharedState;
    private boolean storageOnDisk;
    private Instant start = ManualClock.DEFAULT_START;

    private Builder() {}

    /** Binds a Durable Object class under a name ({@code env.durableObject(name)}). */
    public Builder bind(String binding, Class<? extends DurableObject> objectClass) {
      if (binding == null || binding.isBlank()) {
        throw new IllegalArgumentException("A binding needs a name, got '" + binding + "'");
      }
      if (objectClass == null) {
        throw new IllegalArgumentException("Binding " + binding + " needs a Durable Object class, got null");
      }
      if (bindings.putIfAbsent(binding, objectClass) != null) {
        throw new IllegalArgumentException("Binding " + binding + " is already bound to "
            + bindings.get(binding).getName());
      }
      return this;
    }

    /**
     * Takes the bindings, vars, worker and script name from a {@code durable.jsonc}, as
     * {@code durable dev} would; the classes it names must be on the test classpath. Bindings and
     * vars given in code are added to it.
     *
     * <pre>{@code
     * static DurableObjectsExtension dos = DurableObjectsExtension.builder()
     *     .config(Path.of("durable.jsonc"))
     *     .build();
     * }</pre>
     *
     * @throws dev.durable.internal.config.ConfigException naming the key and line of what is wrong
     */
    public Builder config(Path durableJsonc) {
      if (durableJsonc == null) {
        throw new IllegalArgumentException("config() needs the path of a durable.jsonc, got null");
      }
      DurableConfig config = DurableConfig.load(durableJsonc);
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      ResolvedConfig resolved = config.resolveClasses(
          loader != null ? loader : DurableObjectsExtension.class.getClassLoader());
      resolved.bindings().forEach(this::bind);
      config.vars().forEach(this::var);
      resolved.newWorker().ifPresent(this::worker);
      return customize(b -> b.scriptName(config.name()));
    }

    /** The worker entry, reached with {@link DurableObjectsExtension#worker()}; stateless, so shared by all tests. */
    public Builder worker(Worker worker) {
      if (worker == null) {
        throw new IllegalArgumentException("worker() needs a worker, got null");
      }
      this.worker = worker;
      return this;
    }

    /** A variable the worker and objects see as {@code env.var(name)}. */
    public Builder var(String name, Object value) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("A variable needs a name, got '" + name + "'");
      }
      vars.put(name, value);
      return this;
    }

    /**
     * Changes each runtime the kit builds, after the bindings and vars above, e.g.
     * {@code customize(b -> b.scriptName("shop"))}. The kit keeps the clock and the outbound
     * fetch for itself, so those cannot be changed here; a state directory set here replaces the
     * kit's in-memory storage (and its isolation).
     */
    public Builder customize(Consumer<DurableRuntime.Builder> customizer) {
      if (customizer == null) {
        throw new IllegalArgumentException("customize() needs a customizer, got null");
      }
      customizers.add(customizer);
      return this;
    }

    /**
     * One runtime for all tests of the class (and its nested classes), built before the first
     * and closed after the last: tests see each other's writes, alarms and clock. Needs the kit
     * in a static field (or {@link DurableObjectsTest}).
     */
    public Builder sharedState() {
      this.sharedState = true;
      return this;
    }

    /**
     * Keeps each runtime's storage in a new temporary directory (deleted when the runtime
     * closes) instead of memory: slower, but eviction then closes and reopens the SQLite files
     * as the dev server does.
     */
    public Builder storageOnDisk() {
      this.storageOnDisk = true;
      return this;
    }

    /** Where each runtime's clock starts (default {@link ManualClock#DEFAULT_START}). */
    public Builder startingAt(Instant start) {
      if (start == null) {
        throw new IllegalArgumentException("startingAt() needs an instant, got null");
      }
      this.start = start;
      return this;
    }

    /** The kit, to put in a {@code @RegisterExtension} field. */
    public DurableObjectsExtension build() {
      WarmUp.start();
      return new DurableObjectsExtension(settings());
    }

    KitSettings settings() {
      return new KitSettings(bindings, vars, worker, customizers, sharedState, storageOnDisk, start);
    }
  }
}
