package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.runtime.DurableRuntime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code keepAlive()} holds an agent in memory against the runtime's idle eviction (here after
 * 50 ms) until it is closed; then the agent is evicted as usual.
 */
class KeepAliveTest {
  private static final Duration IDLE = Duration.ofMillis(50);

  @Test
  void aHeldAgentIsNotEvictedForIdlenessUntilItsHoldIsClosed() throws Exception {
    try (DurableRuntime runtime = DurableRuntime.builder().bind("STEPS", StepFibers.class).idleTimeout(IDLE)
        .build()) {
      DurableObjectStub agent = runtime.env().durableObject("STEPS").getByName("ada");
      KeepAlive hold = runtime.tools().runInObject(agent, (StepFibers a, DurableObjectState s) -> a.keepAlive());

      Thread.sleep(IDLE.multipliedBy(8).toMillis()); // several sweeps of the idle eviction
      assertThat(runtime.tools().isLive(agent)).as("held past its idle timeout").isTrue();

      hold.close();
      hold.close(); // twice is harmless
      awaitEvicted(runtime, agent);
    }
  }

  @Test
  void keepAliveWhileHoldsTheAgentOnlyWhileItsBodyRuns() throws Exception {
    try (DurableRuntime runtime = DurableRuntime.builder().bind("STEPS", StepFibers.class).idleTimeout(IDLE)
        .build()) {
      DurableObjectStub agent = runtime.env().durableObject("STEPS").getByName("ada");
      StepFibers instance = runtime.tools().runInObject(agent, (StepFibers a, DurableObjectState s) -> a);

      // Off the agent's events, as work a method left running would be.
      boolean liveThroughout = instance.keepAliveWhile(() -> {
        Thread.sleep(IDLE.multipliedBy(8).toMillis());
        return runtime.tools().isLive(agent);
      });

      assertThat(liveThroughout).as("live while the body ran, past the idle timeout").isTrue();
      awaitEvicted(runtime, agent);
    }
  }

  private static void awaitEvicted(DurableRuntime runtime, DurableObjectStub agent) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (runtime.tools().isLive(agent) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(runtime.tools().isLive(agent)).as("evicted once nothing holds it").isFalse();
  }
}
