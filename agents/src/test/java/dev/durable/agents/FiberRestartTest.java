package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.runtime.DurableRuntime;
import dev.durable.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fiber outlives its runtime: closed mid-fiber and started again on the same state directory,
 * the runtime fires the agent's persisted heartbeat alarm, which recovers the fiber with nobody
 * calling the agent.
 */
class FiberRestartTest {
  @TempDir
  Path state;

  private DurableRuntime start(ManualClock clock) {
    return DurableRuntime.builder().scriptName("app").bind("STEPS", StepFibers.class)
        .stateDirectory(state).clock(clock).idleTimeout(Duration.ZERO).build();
  }

  @Test
  void aFiberInterruptedByARestartIsRecoveredByItsAlarmAndDoesEveryStepOnce() throws Exception {
    ManualClock before = ManualClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    try (DurableRuntime first = start(before)) {
      StepFibersApi api = first.env().durableObject("STEPS").getByName("ada", StepFibersApi.class);
      CompletableFuture.runAsync(() -> {
        try {
          api.steps(3);
        } catch (Exception e) {
          // The runtime closes under the call: expected.
        }
      }, task -> Thread.ofVirtual().start(task));
      before.awaitSleeping(1); // step 0 and its stash are committed before the wait
      before.advance(Duration.ofMinutes(1)); // step 1 done too; the runtime closes mid-fiber
    }

    ManualClock after = ManualClock.startingAt(Instant.parse("2026-01-01T01:00:00Z"));
    try (DurableRuntime second = start(after)) {
      after.advance(Duration.ZERO); // the heartbeat alarm, due while the runtime was down
      after.advance(Duration.ofMinutes(5));

      DurableObjectStub agent = second.env().durableObject("STEPS").getByName("ada");
      StepFibers.Log log = second.tools().runInObject(agent, (StepFibers a, dev.durable.DurableObjectState s) -> a.state());
      Map<Integer, Integer> steps = second.tools().runInObject(agent,
          (StepFibers a, dev.durable.DurableObjectState s) -> a.stepRuns());
      List<Fiber> fibers = second.tools().runInObject(agent,
          (StepFibers a, dev.durable.DurableObjectState s) -> a.listFibers());
      assertThat(log.recoveries()).containsExactly("steps next=2 recovery=1");
      assertThat(steps).isEqualTo(Map.of(0, 1, 1, 1, 2, 1));
      assertThat(fibers).extracting(Fiber::state).containsExactly(Fiber.State.FINISHED);
    }
  }
}
