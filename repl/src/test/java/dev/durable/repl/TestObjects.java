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

  /**
   * A small shop: items in key-value storage, an echoing fetch ({@code /ticks} streams two
   * chunks, the second once {@link #secondTick} is released), an alarm that leaves a mark.
   */
  public static class Shop extends DurableObject {
    /** Lets the second chunk of {@code /ticks} go. */
    static final java.util.concurrent.Semaphore secondTick = new java.util.concurrent.Semaphore(0);

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
      if (request.path().equals("/ticks")) { // two chunks; the second waits for the test
        return Response.stream("text/plain;charset=UTF-8", out -> {
          out.write("tick 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          if (!secondTick.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test let no second tick go for 30 s");
          }
          out.write("tick 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
      }
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
