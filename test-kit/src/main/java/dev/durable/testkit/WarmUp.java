package dev.durable.testkit;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.storage.NativeSqliteCache;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time cost of a test JVM (loading SQLite's native library, building the JSON mapper,
 * loading and linking the runtime's classes) paid on a background thread as soon as a kit is
 * made, while JUnit prepares the first test, instead of inside the first test.
 */
final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final AtomicBoolean started = new AtomicBoolean();

  private WarmUp() {}

  /** Starts the warm-up once per JVM. */
  static void start() {
    if (started.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("durable-test-kit-warm-up").start(WarmUp::run);
    }
  }

  /** What a warm-up object exposes by RPC. */
  public interface Warm {
    /** Stores the value and sets an alarm. */
    long store(long value);
  }

  /** An object that touches what a typical test touches: key-value, SQL, alarm, fetch, RPC. */
  public static final class WarmObject extends DurableObject implements Warm {
    /** Built by the runtime. */
    public WarmObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long store(long value) {
      ctx.storage().put("value", value);
      ctx.storage().setAlarm(ctx.now().plusSeconds(1));
      return ctx.storage().get("value", Long.class).orElseThrow();
    }

    @Override
    public Response fetch(Request request) {
      return Response.json(ctx.storage().list());
    }

    @Override
    public void alarm(AlarmInfo info) {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS t (v TEXT)");
      ctx.storage().sql().exec("INSERT INTO t (v) VALUES (?)", info.scheduledTime().toString());
    }
  }

  private static void run() {
    NativeSqliteCache.prepare();
    try {
      KitSettings settings = DurableObjectsExtension.builder().bind("WARM", WarmObject.class).settings();
      try (TestRuntime rt = TestRuntime.start(settings)) {
        DurableObjectStub stub = rt.stub("WARM", "warm");
        stub.as(Warm.class).store(1);
        stub.fetch(Request.get("/"));
        rt.clock().advance(Duration.ofSeconds(1));
        rt.snapshot(stub);
        rt.callIn(stub, (WarmObject o, DurableObjectState s) -> s.storage().get("value"));
      }
    } catch (Throwable t) {
      // Only an optimization: whatever failed here fails again, with a proper report, in a test.
      log.debug("Test kit warm-up failed", t);
    }
  }
}
