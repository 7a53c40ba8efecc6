package dev.durable.repl;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.ListOptions;
import dev.durable.Request;
import dev.durable.Response;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Durable Object classes the REPL's tests poke. */
public final class TestObjects {
  private TestObjects() {}

  /** A small shop: items in key-value storage, an echoing fetch, an alarm that leaves a mark. */
  public static class Shop extends DurableObject {
    /** How many instances were built (evict makes the next call build another). */
    public static final AtomicInteger constructed = new AtomicInteger();
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    public Shop(DurableObjectState ctx, Env env) {
      super(ctx, env);
      constructed.incrementAndGet();
    }

    /** Adds to an item's quantity; returns the new quantity. */
    public long add(String item, long quantity) {
      long n = ctx.storage().get("item:" + item, Long.class).orElse(0L) + quantity;
      ctx.storage().put("item:" + item, n);
      return n;
    }

    /** Every item with its quantity. */
    public Map<String, Long> items() {
      Map<String, Long> out = new TreeMap<>();
      ctx.storage().list(ListOptions.builder().prefix("item:").build(), Long.class)
          .forEach((k, v) -> out.put(k.substring("item:".length()), v));
      return out;
    }

    public String greet(String name) {
      return "hello " + name;
    }

    public void fail(String message) {
      throw new IllegalStateException(message);
    }

    /** Signals {@link #entered}, then waits for {@link #release}: a call that takes its time. */
    public String slow() throws InterruptedException {
      entered.countDown();
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released slow()");
      }
      return "done";
    }

    @Override
    public Response fetch(Request request) {
      return Response.builder(201).header("content-type", "text/plain;charset=UTF-8")
          .header("x-method", request.method())
          .body(request.method() + " " + request.path() + " " + request.text()).build();
    }

    @Override
    public void alarm(AlarmInfo info) {
      ctx.storage().put("alarmed", info.scheduledTime().toString());
    }
  }

  /** A class with no methods of its own and no alarm handler. */
  public static class Plain extends DurableObject {
    public Plain(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }
}
