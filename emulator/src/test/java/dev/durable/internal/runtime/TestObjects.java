package dev.durable.internal.runtime;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Durable Object classes the runtime tests drive. */
final class TestObjects {
  private TestObjects() {}

  public interface CounterApi {
    long increment(long by);

    long get();

    String name();

    void fail(String message);

    List<String> echo(List<String> values);

    /** Puts a text value under a key. */
    void store(String key, String value);

    /** The text value of a key, or null. */
    String load(String key);
  }

  /** A counter in key-value storage; counts constructions. */
  public static class Counter extends DurableObject implements CounterApi {
    static final AtomicInteger constructed = new AtomicInteger();

    public Counter(DurableObjectState ctx, Env env) {
      super(ctx, env);
      constructed.incrementAndGet();
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
    public void fail(String message) {
      ctx.storage().put("n", -1L);
      throw new IllegalStateException(message);
    }

    @Override
    public List<String> echo(List<String> values) {
      List<String> copy = new ArrayList<>(values);
      values.add("mutated-by-callee");
      return copy;
    }

    @Override
    public void store(String key, String value) {
      ctx.storage().put(key, value);
    }

    @Override
    public String load(String key) {
      return ctx.storage().get(key, String.class).orElse(null);
    }

    @Override
    public Response fetch(Request request) {
      return Response.text(Long.toString(increment(1)));
    }
  }

  public interface PingApi {
    /** Calls the peer named {@code peer}, which calls back {@code back()} on us. */
    String pingVia(String peer);

    String back();

    String callBack(String origin);
  }

  /** A→B→A: {@code pingVia} calls a peer that calls back into the caller. */
  public static class Pinger extends DurableObject implements PingApi {
    public Pinger(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public String pingVia(String peer) {
      String me = ctx.id().name().orElseThrow();
      return env.durableObject("PING").getByName(peer, PingApi.class).callBack(me);
    }

    @Override
    public String callBack(String origin) {
      return "via " + ctx.id().name().orElseThrow() + ": "
          + env.durableObject("PING").getByName(origin, PingApi.class).back();
    }

    @Override
    public String back() {
      return "back in " + ctx.id().name().orElseThrow();
    }
  }

  public interface AlarmApi {
    void schedule(Instant at);

    List<String> log();

    void failTimes(int n);

    void rescheduleFromAlarm(Instant next);
  }

  /** Records alarm deliveries; can fail the first n and can set a new alarm from the handler. */
  public static class Alarmed extends DurableObject implements AlarmApi {
    static final List<String> deliveries = new CopyOnWriteArrayList<>();
    /** Failed attempts roll back their writes, so the failure budget lives outside storage. */
    static final AtomicInteger failuresLeft = new AtomicInteger();
    static final AtomicReference<Instant> nextFromAlarm = new AtomicReference<>();

    public Alarmed(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public void schedule(Instant at) {
      ctx.storage().setAlarm(at);
    }

    @Override
    public List<String> log() {
      return ctx.storage().get("log", List.class).orElse(List.of());
    }

    @Override
    public void failTimes(int n) {
      failuresLeft.set(n);
    }

    @Override
    public void rescheduleFromAlarm(Instant next) {
      nextFromAlarm.set(next);
    }

    @Override
    public void alarm(AlarmInfo info) {
      String entry = ctx.now() + " retry=" + info.retryCount() + " isRetry=" + info.isRetry()
          + " scheduled=" + info.scheduledTime() + " pending=" + ctx.storage().getAlarm().isPresent();
      deliveries.add(ctx.id().name().orElse("?") + " " + entry);
      @SuppressWarnings("unchecked")
      List<String> log = new ArrayList<>(ctx.storage().get("log", List.class).orElse(List.of()));
      log.add(entry);
      ctx.storage().put("log", log);
      Instant next = nextFromAlarm.getAndSet(null);
      if (next != null) {
        ctx.storage().setAlarm(next);
      }
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("alarm failure");
      }
    }
  }

  /** A class without the required constructor. */
  public static class NoConstructor extends DurableObject {
    public NoConstructor() {
      super(null, null);
    }
  }

  /** A class whose constructor throws. */
  public static class Exploding extends DurableObject {
    public Exploding(DurableObjectState ctx, Env env) {
      super(ctx, env);
      throw new IllegalStateException("boom in constructor");
    }
  }
}
