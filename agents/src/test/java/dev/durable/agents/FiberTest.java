package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fibers of {@link StepFibers}, whose steps wait a minute each on the test kit's manual clock.
 * A fiber is started by a schedule, so that moving the clock starts it and the test goes on
 * while the fiber waits; a heartbeat of ten minutes keeps the alarm out of the way.
 */
class FiberTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("STEPS", StepFibers.class).build();

  private DurableObjectStub agent;

  /** A call on the agent that runs a fiber, made on a thread of its own. */
  @FunctionalInterface
  private interface Call {
    void on(StepFibersApi api) throws Exception;
  }

  @BeforeEach
  void setUp() {
    agent = dos.stub("STEPS", "ada");
  }

  private <R> R inAgent(Function<StepFibers, R> body) {
    return dos.callInDurableObject(agent, (StepFibers a, DurableObjectState s) -> body.apply(a));
  }

  /** Runs a fiber in an event of the agent; what the body throws reaches the test unchanged. */
  private <T> T runFiber(String name, FiberBody<T> body) {
    return inAgent(a -> {
      try {
        return a.runFiber(name, body);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Starts a fiber the way a scheduled method does: moving the clock runs its first step. */
  private void scheduleSteps(int total) {
    inAgent(a -> a.schedule(Duration.ZERO, "startSteps", total));
    dos.clock().advance(Duration.ZERO); // the fiber runs its first step, then waits on the clock
  }

  /**
   * Starts a fiber the way a request does, on a thread of its own (the call returns when the
   * fiber ends), and returns once {@code sleepers} threads wait on the clock, the fiber's among
   * them: its first step and stash are committed then, as they are before a wait.
   */
  private CompletableFuture<Void> begin(Call call, int sleepers) {
    StepFibersApi api = dos.env().durableObject("STEPS").getByName("ada", StepFibersApi.class);
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
      try {
        call.on(api);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, task -> Thread.ofVirtual().start(task)); // a thread each: a call may wait for ever
    dos.clock().awaitSleeping(sleepers);
    return running;
  }

  private List<Fiber> fibers() {
    return inAgent(Agent::listFibers);
  }

  private Fiber only() {
    List<Fiber> all = fibers();
    assertThat(all).as("the agent's fibers").hasSize(1);
    return all.get(0);
  }

  private List<String> recoveries() {
    return inAgent(a -> a.state().recoveries());
  }

  /** Wakes the agent after it lost its instance, and lets the alarm it sets for recovery fire. */
  private void wakeAndRecover() {
    fibers();
    dos.clock().advance(Duration.ZERO);
  }

  @Test
  void aFiberIsRecordedAsRunningBeforeItsBodyRunsAndAsFinishedAfter() {
    Fiber.State[] inside = new Fiber.State[1];
    String id = inAgent(a -> {
      try {
        return a.runFiber("peek", fiber -> {
          inside[0] = a.getFiber(fiber.id()).orElseThrow().state();
          return fiber.id();
        });
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    assertThat(inside[0]).as("the fiber's state seen from its own body").isEqualTo(Fiber.State.RUNNING);
    Fiber after = only();
    assertThat(after.id()).isEqualTo(id);
    assertThat(after.name()).isEqualTo("peek");
    assertThat(after.state()).isEqualTo(Fiber.State.FINISHED);
    assertThat(after.recoveries()).isZero();
  }

  @Test
  void aFiberStartedByAScheduleWaitsOnTheManualClockDoesEachStepOnceAndLeavesNoAlarm() {
    scheduleSteps(3);

    Fiber running = only();
    assertThat(running.state()).isEqualTo(Fiber.State.RUNNING);
    assertThat(running.snapshot(StepFibers.Progress.class)).as("the stash committed before the wait")
        .contains(new StepFibers.Progress(1, 3));
    assertThat(dos.snapshot(agent).alarm()).as("the heartbeat while the fiber runs").isPresent();

    dos.clock().advance(Duration.ofMinutes(5));

    assertThat(only().state()).isEqualTo(Fiber.State.FINISHED);
    assertThat(inAgent(StepFibers::stepRuns)).isEqualTo(Map.of(0, 1, 1, 1, 2, 1));
    assertThat(recoveries()).isEmpty();
    assertThat(dos.snapshot(agent).alarm()).as("no fiber runs and no schedule is left").isEmpty();
  }

  @Test
  void anAgentEvictedMidFiberRecoversItWithTheLastStashAndEveryStepRunsOnce() {
    CompletableFuture<Void> call = begin(api -> api.steps(3), 1);
    dos.clock().advance(Duration.ofMinutes(1)); // step 1 done, stash says 2

    dos.evict(agent);
    wakeAndRecover();
    dos.clock().advance(Duration.ofMinutes(5)); // also wakes the evicted instance's wait, which must end there

    assertThatThrownBy(call::join).as("the call whose instance was evicted")
        .hasMessageContaining("was evicted or reset while this event waited on outgoing I/O");
    assertThat(recoveries()).containsExactly("steps next=2 recovery=1");
    assertThat(inAgent(StepFibers::stepRuns)).isEqualTo(Map.of(0, 1, 1, 1, 2, 1));
    Fiber fiber = only();
    assertThat(fiber.state()).isEqualTo(Fiber.State.FINISHED);
    assertThat(fiber.recoveries()).isEqualTo(1);
  }

  @Test
  void aFailedCommitMidFiberIsRecoveredFromTheLastCommittedStash() {
    begin(api -> api.steps(3), 1);
    dos.failNextCommit(agent);

    dos.clock().advance(Duration.ofMinutes(1)); // step 1 and its stash are in the commit that fails
    wakeAndRecover();
    dos.clock().advance(Duration.ofMinutes(5));

    assertThat(recoveries()).containsExactly("steps next=1 recovery=1");
    assertThat(inAgent(StepFibers::stepRuns)).as("step 1 was rolled back, then done once")
        .isEqualTo(Map.of(0, 1, 1, 1, 2, 1));
    assertThat(only().state()).isEqualTo(Fiber.State.FINISHED);
  }

  @Test
  void aFinishedFiberIsNeverRecovered() {
    scheduleSteps(1);
    dos.clock().advance(Duration.ofMinutes(1));
    assertThat(only().state()).isEqualTo(Fiber.State.FINISHED);

    dos.evict(agent);
    wakeAndRecover();
    dos.clock().advance(Duration.ofHours(1));

    assertThat(recoveries()).isEmpty();
    assertThat(only().state()).isEqualTo(Fiber.State.FINISHED);
  }

  @Test
  void aFiberWhoseBodyThrowsIsRecordedAsFailedWithItsStashAndIsNotRecovered() {
    assertThatThrownBy(() -> runFiber("doomed", fiber -> {
      fiber.stash("half");
      throw new IllegalStateException("the second half broke");
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("the second half broke");

    Fiber failed = only();
    assertThat(failed.state()).isEqualTo(Fiber.State.FAILED);
    assertThat(failed.error()).contains("IllegalStateException: the second half broke");
    assertThat(failed.snapshot(String.class)).contains("half");

    dos.evict(agent);
    wakeAndRecover();
    assertThat(recoveries()).isEmpty();
  }

  @Test
  void aFiberLeftAloneByTheHookIsMarkedRecovered() {
    begin(StepFibersApi::leave, 1);
    dos.evict(agent);

    wakeAndRecover();

    assertThat(recoveries()).containsExactly("leave next=0 recovery=1");
    Fiber fiber = only();
    assertThat(fiber.state()).isEqualTo(Fiber.State.RECOVERED);
    assertThat(fiber.snapshot(String.class)).contains("left");
  }

  @Test
  void aFiberWhoseRecoveryKeepsFailingIsTriedFiveTimesAHeartbeatApartThenMarkedFailed() {
    begin(StepFibersApi::poison, 1);
    dos.evict(agent);

    wakeAndRecover();
    assertThat(only().state()).as("after a hook that threw").isEqualTo(Fiber.State.RUNNING);
    assertThat(only().error()).contains("onFiberRecovered threw", "cannot recover poison");
    dos.clock().advance(Duration.ofHours(1));

    assertThat(recoveries()).hasSize(FiberRecovery.MAX_RECOVERIES).last().isEqualTo("poison next=0 recovery=5");
    Fiber fiber = only();
    assertThat(fiber.state()).isEqualTo(Fiber.State.FAILED);
    assertThat(fiber.error()).contains("interrupted again after 5 recoveries");
    assertThat(dos.snapshot(agent).alarm()).as("nothing left to recover").isEmpty();
  }

  @Test
  void severalFibersAreListedOldestFirstWithTheirStates() {
    begin(StepFibersApi::leave, 1);
    dos.evict(agent);
    wakeAndRecover();
    scheduleSteps(1);
    dos.clock().advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> runFiber("doomed", fiber -> {
      throw new IllegalStateException("no");
    })).hasMessage("no");
    begin(api -> api.steps(2), 2); // the evicted "leave" still sleeps: its wait ends in an hour

    assertThat(fibers()).extracting(Fiber::name, Fiber::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("leave", Fiber.State.RECOVERED),
        org.assertj.core.groups.Tuple.tuple("steps", Fiber.State.FINISHED),
        org.assertj.core.groups.Tuple.tuple("doomed", Fiber.State.FAILED),
        org.assertj.core.groups.Tuple.tuple("steps", Fiber.State.RUNNING));

    assertThat((int) inAgent(Agent::deleteEndedFibers)).isEqualTo(3);
    assertThat(fibers()).extracting(Fiber::state).containsExactly(Fiber.State.RUNNING);
  }

  @Test
  void badFibersAreRefusedNamingWhatIsWrongAndWriteNothing() {
    assertThatThrownBy(() -> runFiber(" ", fiber -> null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runFiber() needs a name, got ' '");
    assertThatThrownBy(() -> runFiber("nothing", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runFiber('nothing') needs a body");
    assertThat(fibers()).isEmpty();

    assertThatThrownBy(() -> runFiber("opaque", fiber -> {
      fiber.stash(new Object());
      return null;
    })).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot convert a value of type java.lang.Object to JSON");
    assertThat(only().snapshot().isNull()).as("the value that could not be written was not stashed").isTrue();
  }

  @Test
  void aRecoveredFiberCanBeResumedOnlyOnceAndOnlyInsideTheHook() {
    FiberRecovery[] kept = new FiberRecovery[1];
    begin(StepFibersApi::leave, 1);
    dos.evict(agent);
    inAgent(a -> {
      a.keepRecoveryIn(kept);
      return null;
    });
    dos.clock().advance(Duration.ZERO);

    assertThat(kept[0]).as("the recovery the hook was given").isNotNull();
    assertThatThrownBy(() -> kept[0].resume(fiber -> null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("can be resumed only once, from inside onFiberRecovered");
  }
}
