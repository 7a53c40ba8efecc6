package dev.durable.bench;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints the latency of an RPC call from one object to its facet (a sub-agent), next to the same
 * call from that object to an ordinary object of another binding: an empty call, and a call that
 * writes one key. One caller, calls made one after another from inside the parent's event. Not
 * part of the normal test run: {@code mvn -pl emulator -am test -Pbench -Dtest=SubAgentBenchmark}.
 */
@Tag("benchmark")
class SubAgentBenchmark {
  private static final int WARMUP = 20_000;
  private static final int MEASURE = 50_000;

  public interface TargetApi {
    void noop();

    long increment();
  }

  /** The callee, as a facet or as an ordinary object. */
  public static class Target extends DurableObject implements TargetApi {
    public Target(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public void noop() {}

    @Override
    public long increment() {
      long n = ctx.storage().get("n", Long.class).orElse(0L) + 1;
      ctx.storage().put("n", n);
      return n;
    }
  }

  /** The caller: times calls to its facet and to an ordinary object. */
  public static class Caller extends DurableObject {
    public Caller(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    /** Nanoseconds per call over {@code calls} calls. */
    double time(TargetApi target, boolean write, int calls) {
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        if (write) {
          target.increment();
        } else {
          target.noop();
        }
      }
      return (System.nanoTime() - start) / (double) calls;
    }
  }

  @Test
  void printSubAgentLatency() throws Exception {
    Path dir = Files.createTempDirectory("durable-bench");
    try (DurableRuntime rt = DurableRuntime.builder().stateDirectory(dir).idleTimeout(Duration.ZERO)
        .bind("CALLER", Caller.class).bind("TARGET", Target.class).build()) {
      TargetApi ordinary = rt.env().durableObject("TARGET").getByName("other", TargetApi.class);
      for (boolean write : new boolean[] {false, true}) {
        double[] result = rt.tools().runInObject(rt.env().durableObject("CALLER").getByName("parent"),
            (Caller c, DurableObjectState ctx) -> {
              TargetApi facet = ctx.facets().get("child", Target.class).as(TargetApi.class);
              c.time(facet, write, WARMUP);
              c.time(ordinary, write, WARMUP);
              return new double[] {c.time(facet, write, MEASURE), c.time(ordinary, write, MEASURE),
                  c.time(facet, write, MEASURE), c.time(ordinary, write, MEASURE)};
            });
        String call = write ? "increment() (get + put, one commit)" : "noop()";
        System.out.printf(Locale.ROOT, "%-38s facet %6.2f us/call   ordinary object %6.2f us/call"
            + "   (second round: %6.2f / %6.2f)%n", call, result[0] / 1000, result[1] / 1000,
            result[2] / 1000, result[3] / 1000);
      }
    }
  }
}
