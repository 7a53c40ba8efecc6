package dev.durable.internal.config;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Classes that configurations in these tests name. */
public final class ConfigTestObjects {
  private ConfigTestObjects() {}

  /** What a counter object offers through a typed stub. */
  public interface CounterApi {
    long increment(long by);

    long get();

    String name();

    void alarmAt(Instant time);

    void putRow(String text);

    List<String> rows();
  }

  /** Alarms delivered to any counter: "Class name-or-id@time". */
  public static final List<String> alarms = new CopyOnWriteArrayList<>();

  /** A counter in key-value storage with a SQL table and an alarm; the base of the two below. */
  public abstract static class BaseCounter extends DurableObject implements CounterApi {
    protected BaseCounter(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment(long by) {
      long n = ctx.storage().get("n", Long.class).orElse(0L) + by;
      ctx.storage().put("n", n);
      return n;
    }

    @Override
    public long get() {
      return ctx.storage().get("n", Long.class).orElse(0L);
    }

    @Override
    public String name() {
      return ctx.id().name().orElse(null);
    }

    @Override
    public void alarmAt(Instant time) {
      ctx.storage().setAlarm(time);
    }

    @Override
    public void putRow(String text) {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS notes (text TEXT)");
      ctx.storage().sql().exec("INSERT INTO notes (text) VALUES (?)", text);
    }

    @Override
    public List<String> rows() {
      return ctx.storage().sql().exec("SELECT text FROM notes ORDER BY rowid").toList().stream()
          .map(r -> (String) r.get("text")).toList();
    }

    @Override
    public void alarm(AlarmInfo info) {
      alarms.add(getClass().getSimpleName() + " " + ctx.id().name().orElse(ctx.id().toString())
          + "@" + info.scheduledTime());
    }

    @Override
    public Response fetch(Request request) {
      return Response.text(Long.toString(increment(1)));
    }
  }

  /** The class before a rename. */
  public static class OldCounter extends BaseCounter {
    public OldCounter(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  /** The class after a rename. */
  public static class NewCounter extends BaseCounter {
    public NewCounter(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  /** A worker that forwards to the COUNTER binding and records cron events. */
  public static class App implements Worker {
    public static final List<String> scheduled = new CopyOnWriteArrayList<>();
    public static volatile boolean failNext;

    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      String greeting = env.var("GREETING").orElse("?");
      Response counted = env.durableObject("COUNTER").getByName("a").fetch(request);
      return Response.text(greeting + " " + counted.text());
    }

    @Override
    public void scheduled(ScheduledEvent event, Env env, ExecutionContext ctx) {
      scheduled.add(event.cron() + " @ " + event.scheduledTime());
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("scheduled handler failed on purpose");
      }
    }
  }

  /** Not a Durable Object. */
  public static class NotAnObject {}

  /** A Durable Object without the constructor the runtime calls. */
  public static class NoStateConstructor extends DurableObject {
    public NoStateConstructor() {
      super(null, null);
    }
  }

  /** A Durable Object that cannot be instantiated. */
  public abstract static class AbstractObject extends DurableObject {
    protected AbstractObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  /** A worker without a no-argument constructor. */
  public static class WorkerWithArgument implements Worker {
    public WorkerWithArgument(String unused) {}

    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      return Response.text("never");
    }
  }

  /** A worker whose constructor throws. */
  public static class ThrowingWorker implements Worker {
    public ThrowingWorker() {
      throw new IllegalStateException("no database configured");
    }

    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      return Response.text("never");
    }
  }
}
