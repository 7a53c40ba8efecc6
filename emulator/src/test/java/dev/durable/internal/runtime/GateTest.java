package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GateTest {
  private DurableRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void thousandConcurrentIncrementsThroughStubsEndAtThousand() throws Exception {
    runtime = RuntimeTestSupport.inMemory().build();
    TestObjects.CounterApi counter = runtime.env().durableObject("COUNTER")
        .getByName("hot", TestObjects.CounterApi.class);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        results.add(pool.submit(() -> counter.increment(1)));
      }
      List<Long> seen = new ArrayList<>();
      for (Future<Long> f : results) {
        seen.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(seen).as("every increment saw a distinct value").doesNotHaveDuplicates();
    }
    assertThat(counter.get()).isEqualTo(1000);
  }

  @Test
  void failingCallsInterleavedWithIncrementsRollBackOnlyThemselves() throws Exception {
    runtime = RuntimeTestSupport.inMemory().build();
    TestObjects.CounterApi counter = runtime.env().durableObject("COUNTER")
        .getByName("mixed", TestObjects.CounterApi.class);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        boolean fail = i % 3 == 0;
        calls.add(pool.submit(() -> fail ? failQuietly(counter) : counter.increment(1)));
      }
      for (Future<?> f : calls) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    assertThat(counter.get()).as("400 increments succeeded, 200 failing calls left nothing").isEqualTo(400);
  }

  private static Object failQuietly(TestObjects.CounterApi counter) {
    try {
      counter.fail("planned");
    } catch (DurableObjectException expected) {
      return null;
    }
    throw new AssertionError("fail() did not throw");
  }

  @Test
  void callCycleFromAToBAndBackToACompletes() {
    runtime = RuntimeTestSupport.inMemory().build();
    TestObjects.PingApi a = runtime.env().durableObject("PING").getByName("a", TestObjects.PingApi.class);
    assertThat(a.pingVia("b")).isEqualTo("via b: back in a");
  }

  /** Records, for each event, whether another event ran in between its start and end. */
  public static class Blocking extends DurableObject {
    static final List<String> trace = new CopyOnWriteArrayList<>();

    public Blocking(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      String tag = request.query("tag");
      boolean block = "true".equals(request.query("block"));
      trace.add("start " + tag);
      Runnable wait = () -> ctx.sleep(Duration.ofMillis(200));
      if (block) {
        ctx.blockConcurrencyWhile(() -> {
          wait.run();
          return null;
        });
      } else {
        wait.run();
      }
      trace.add("end " + tag);
      return Response.text(tag);
    }
  }

  @Test
  void sleepOpensTheGateButBlockConcurrencyWhileKeepsItShut() throws Exception {
    runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).bind("B", Blocking.class).build();
    var stub = runtime.env().durableObject("B").getByName("x");

    Blocking.trace.clear();
    runPair(() -> stub.fetch(Request.get("/?tag=1")), () -> stub.fetch(Request.get("/?tag=2")));
    assertThat(Blocking.trace).as("without blocking, the second event runs while the first sleeps")
        .containsExactly("start 1", "start 2", "end 1", "end 2");

    Blocking.trace.clear();
    runPair(() -> stub.fetch(Request.get("/?tag=3&block=true")), () -> stub.fetch(Request.get("/?tag=4")));
    assertThat(Blocking.trace).as("blockConcurrencyWhile keeps the second event out")
        .containsExactly("start 3", "end 3", "start 4", "end 4");
  }

  private static void runPair(Runnable first, Runnable second) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> f1 = pool.submit(first);
      Thread.sleep(50);
      Future<?> f2 = pool.submit(second);
      f1.get(10, TimeUnit.SECONDS);
      f2.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anExceptionInTheObjectReachesTheCallerWithItsTypeAndDoesNotBreakTheObject() {
    runtime = RuntimeTestSupport.inMemory().build();
    TestObjects.CounterApi counter = runtime.env().durableObject("COUNTER")
        .getByName("c", TestObjects.CounterApi.class);
    counter.increment(5);
    assertThatThrownBy(() -> counter.fail("nope"))
        .isInstanceOf(DurableObjectException.class)
        .hasMessage("nope")
        .satisfies(e -> assertThat(((DurableObjectException) e).remoteType())
            .isEqualTo(IllegalStateException.class.getName()));
    assertThat(counter.get()).as("the failing call's write was rolled back").isEqualTo(5);
    assertThat(counter.increment(1)).isEqualTo(6);
  }

  @Test
  void rpcArgumentsAndResultsCrossByValue() {
    runtime = RuntimeTestSupport.inMemory().build();
    TestObjects.CounterApi counter = runtime.env().durableObject("COUNTER")
        .getByName("v", TestObjects.CounterApi.class);
    List<String> mine = new ArrayList<>(List.of("x"));
    List<String> back = counter.echo(mine);
    assertThat(mine).as("the callee mutated its own copy only").containsExactly("x");
    assertThat(back).containsExactly("x");
  }

  @Test
  void handlersCannotBeCalledAsRpc() {
    runtime = RuntimeTestSupport.inMemory().build();
    var stub = runtime.env().durableObject("COUNTER").getByName("h");
    assertThatThrownBy(() -> stub.call("fetch", List.of()))
        .hasMessageContaining("'fetch' is a handler and cannot be called through RPC");
    assertThatThrownBy(() -> stub.call("alarm", List.of()))
        .hasMessageContaining("'alarm' is a handler");
    assertThat(stub.call("increment", List.of(3))).isEqualTo(3L);
    assertThatThrownBy(() -> stub.call("nothing", List.of()))
        .hasMessageContaining("has no public method 'nothing'");
  }

  @Test
  void eventsOfOneObjectRunOneAtATime() throws Exception {
    runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).bind("S", Serial.class).build();
    var stub = runtime.env().durableObject("S").getByName("s");
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Response>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        fs.add(pool.submit(() -> {
          go.await();
          return stub.fetch(Request.get("/"));
        }));
      }
      go.countDown();
      for (Future<Response> f : fs) {
        assertThat(f.get(30, TimeUnit.SECONDS).text()).isEqualTo("ok");
      }
    }
    assertThat(Serial.maxConcurrent).isEqualTo(1);
  }

  /** Tracks how many events are inside at once. */
  public static class Serial extends DurableObject {
    static volatile int inside;
    static volatile int maxConcurrent;

    public Serial(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      int now = ++inside;
      maxConcurrent = Math.max(maxConcurrent, now);
      Thread.onSpinWait();
      ctx.storage().put("k", now);
      inside--;
      return Response.text("ok");
    }
  }
}
