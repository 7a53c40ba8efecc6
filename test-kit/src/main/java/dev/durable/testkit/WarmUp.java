package dev.durable.testkit;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.internal.json.Json;
import dev.durable.runtime.DurableRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time cost of a test JVM, paid before its first test instead of inside the first tests:
 * loading SQLite's native library, Jackson, AssertJ and the kit's and the runtime's classes, then
 * running what a typical test runs (RPC calls, {@code runInDurableObject}, an alarm fired by the
 * clock, SQL, a snapshot, a fetch through the worker) often enough that the JIT compiles it.
 *
 * <p>It starts on background threads as soon as a kit is made, overlapping JUnit's own start,
 * and the first test waits for it. It stops after {@link #ROUNDS} rounds or {@link #BUDGET} after
 * it began, whichever comes first, so a slow or busy machine waits at most that long; whatever
 * it did not get to is then done by the tests themselves. It works on a runtime and object
 * classes of its own, so no test's runtime or classes see it. The system property
 * {@code durable.testkit.warmUp=false} turns it off.
 */
final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  /** Rounds of a typical test; more barely speed the tests up (see BENCHMARKS.md). */
  static final int ROUNDS = 30;
  /** The most time the warm-up takes, counted from the first kit's creation. */
  static final Duration BUDGET = Duration.ofMillis(600);

  private static final AtomicBoolean started = new AtomicBoolean();
  private static final CountDownLatch done = new CountDownLatch(1);
  private static volatile long deadline;

  private WarmUp() {}

  /** Starts the warm-up once per JVM. */
  static synchronized void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    if (!Boolean.parseBoolean(System.getProperty("durable.testkit.warmUp", "true"))) {
      done.countDown();
      return;
    }
    deadline = System.nanoTime() + BUDGET.toNanos();
    Thread.ofPlatform().daemon().name("durable-test-kit-warm-up").start(WarmUp::run);
  }

  /** Waits until the warm-up is over or its time is up; at once when it already is. */
  static void await() {
    start();
    try {
      done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean timeLeft() {
    return System.nanoTime() - deadline < 0;
  }

  private static void run() {
    try {
      // Class loading and initialization take most of a cold start and run on any core: SQLite
      // and the libraries load on threads of their own while this one loads the runtime.
      Thread sqlite = background("sqlite", DurableRuntime::loadStorage);
      Thread libraries = background("libraries", () -> {
        loadAssertJ();
        if (timeLeft()) { // else the tests have begun: leave the CPU to them
          loadJackson();
        }
      });
      KitSettings settings = settings();
      TestRuntime.start(settings).close();
      sqlite.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      long loaded = System.nanoTime();
      int rounds = 0;
      for (; rounds < ROUNDS && timeLeft(); rounds++) {
        round(settings, rounds == 0, WarmUp::timeLeft);
      }
      long roundsDone = System.nanoTime();
      libraries.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      long began = deadline - BUDGET.toNanos();
      log.debug("Test kit warm-up: runtime and SQLite loaded after {} ms, {} rounds done after {} ms,"
          + " library thread done or given up after {} ms", (loaded - began) / 1_000_000, rounds,
          (roundsDone - began) / 1_000_000, (System.nanoTime() - began) / 1_000_000);
    } catch (Throwable t) {
      // Only an optimization: whatever failed here fails again, with a proper report, in a test.
      log.debug("Test kit warm-up failed", t);
    } finally {
      done.countDown();
    }
  }

  private static Thread background(String what, Runnable work) {
    return Thread.ofPlatform().daemon().name("durable-test-kit-warm-up-" + what).start(() -> {
      try {
        work.run();
      } catch (Throwable t) {
        log.debug("Test kit warm-up of {} failed", what, t);
      }
    });
  }

  /** The warm-up's own kit: its object class and worker, nothing of any test's. */
  static KitSettings settings() {
    return DurableObjectsExtension.builder().bind("WARM", WarmObject.class).worker(new WarmWorker()).settings();
  }

  /** AssertJ's common entry points: nearly every test asserts. */
  static void loadAssertJ() {
    DurableAssertions.assertThat(1L).isEqualTo(1L);
    DurableAssertions.assertThat(1).isEqualTo(1);
    DurableAssertions.assertThat("text").isEqualTo("text").contains("x");
    DurableAssertions.assertThat(true).isTrue();
    DurableAssertions.assertThat(Optional.of(1L)).contains(1L);
    DurableAssertions.assertThat(List.of("a")).hasSize(1).containsExactly("a");
    DurableAssertions.assertThat(Map.of("k", 1)).containsEntry("k", 1);
  }

  /**
   * Jackson with the values it copies most (plain values never need it; records and maps do) and
   * the assertions that compare JSON.
   */
  static void loadJackson() {
    Json.copy(new WarmValue("a", 1, List.of(Instant.EPOCH)), WarmValue.class);
    Json.copy(Map.of("k", List.of(1.5, true)), Object.class);
    DurableAssertions.assertThat(Response.json(Map.of("count", 3))).hasJsonBody("{\"count\": 3}")
        .hasJsonBody(Map.of("count", 3L));
  }

  /** A value as users store them, for Jackson's record support. */
  record WarmValue(String name, int count, List<Instant> times) {}

  /**
   * One typical test on a fresh runtime, with plain values (Jackson may still be loading); the
   * first round also passes through the helpers tests use less often, to load their classes.
   * Stops between its steps once {@code inTime} says so.
   */
  static void round(KitSettings settings, boolean first, BooleanSupplier inTime) {
    try (TestRuntime rt = TestRuntime.start(settings)) {
      DurableObjectStub a = rt.stub("WARM", "a");
      Warm warmA = a.as(Warm.class);
      warmA.add(1);
      warmA.add(2);
      warmA.count();
      rt.callIn(a, (WarmObject o, DurableObjectState s) -> s.storage().get("count", Long.class));
      if (!inTime.getAsBoolean()) {
        return; // a cold first round is long: stop between steps, not after it
      }
      DurableObjectStub b = rt.stub("WARM", "b");
      Warm warmB = b.as(Warm.class);
      warmB.remindAt(rt.clock().instant().plusSeconds(60));
      rt.clock().advance(Duration.ofSeconds(60));
      warmB.fired();
      if (!inTime.getAsBoolean()) {
        return;
      }
      DurableAssertions.assertThat(ObjectSnapshot.read(rt.tools(a), a)).hasKey("count")
          .hasNoAlarm();
      DurableAssertions.assertThat(rt.worker().fetch("/b")).hasStatus(200);
      if (first && inTime.getAsBoolean()) {
        warmB.remindAt(rt.clock().instant().plusSeconds(60));
        rt.tools(b).runAlarm(b);
        rt.listIds("WARM");
        rt.tools(a).evict(a);
        DurableAssertions.assertThat(a.fetch(Request.get("/"))).hasStatus(200);
      }
    }
  }

  /** What the warm-up object exposes by RPC. */
  public interface Warm {
    /** Adds to a stored count and returns it. */
    long add(long by);

    /** The stored count. */
    long count();

    /** Sets the alarm. */
    void remindAt(Instant when);

    /** The instants the alarm fired at, from SQL. */
    List<String> fired();
  }

  /** The warm-up's object: key-value, SQL, alarm, fetch, RPC. */
  public static final class WarmObject extends DurableObject implements Warm {
    /** Built by the runtime. */
    public WarmObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long add(long by) {
      long n = count() + by;
      ctx.storage().put("count", n);
      return n;
    }

    @Override
    public long count() {
      return ctx.storage().get("count", Long.class).orElse(0L);
    }

    @Override
    public void remindAt(Instant when) {
      ctx.storage().setAlarm(when);
    }

    @Override
    public List<String> fired() {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS fired (at TEXT)");
      return ctx.storage().sql().exec("SELECT at FROM fired").toList().stream()
          .map(r -> (String) r.get("at")).toList();
    }

    @Override
    public Response fetch(Request request) {
      return Response.json(count());
    }

    @Override
    public void alarm(AlarmInfo info) {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS fired (at TEXT)");
      ctx.storage().sql().exec("INSERT INTO fired (at) VALUES (?)", info.scheduledTime().toString());
    }
  }

  /** The warm-up's worker: passes a request to the object its path names. */
  public static final class WarmWorker implements Worker {
    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      return env.durableObject("WARM").getByName(request.url().getPath().substring(1)).fetch(request);
    }
  }
}
