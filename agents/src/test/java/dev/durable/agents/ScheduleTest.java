package dev.durable.agents;

import static dev.durable.agents.testing.AgentAssertions.assertThatSchedules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Schedules on the agent's one alarm, fired by the test kit's manual clock (it starts at 2026-01-01T00:00:00Z). */
class ScheduleTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("REMINDERS", Reminders.class).build();

  private DurableObjectStub agent;

  @BeforeEach
  void setUp() {
    agent = dos.stub("REMINDERS", "ada");
    Reminders.FLAKY_FAILURES_LEFT.set(0);
  }

  private <R> R inAgent(Function<Reminders, R> body) {
    return dos.callInDurableObject(agent, (Reminders r, DurableObjectState s) -> body.apply(r));
  }

  private List<String> fired() {
    return inAgent(r -> r.state().fired());
  }

  @Test
  void aFirstScheduleRolledBackWithItsTransactionLeavesSchedulingWorking() {
    Schedule kept = dos.callInDurableObject(agent, (Reminders r, DurableObjectState ctx) -> {
      try {
        ctx.storage().transaction(() -> {
          r.schedule(Duration.ofMinutes(5), "remind", "rolled back"); // makes the table, then undone
          throw new IllegalStateException("undo");
        });
      } catch (IllegalStateException expected) {
        // the transaction is rolled back, the table's creation with it
      }
      return r.schedule(Duration.ofMinutes(10), "remind", "kept");
    });

    dos.clock().advance(Duration.ofMinutes(10));
    assertThat(fired()).containsExactly("kept@2026-01-01T00:10:00Z");
    assertThat(kept.callback()).isEqualTo("remind");
  }

  @Test
  void aDelayedScheduleCallsItsMethodWithThePayloadWhenTheClockGetsThere() {
    Schedule s = inAgent(r -> r.schedule(Duration.ofMinutes(10), "remind", "stretch"));
    assertThat(s.type()).isEqualTo(Schedule.Type.DELAYED);
    assertThat(s.delayInSeconds()).isEqualTo(600);

    dos.clock().advance(Duration.ofMinutes(9));
    assertThat(fired()).isEmpty();
    dos.clock().advance(Duration.ofMinutes(1));

    assertThat(fired()).containsExactly("stretch@2026-01-01T00:10:00Z");
    assertThatSchedules(dos, agent).isEmpty();
  }

  @Test
  void schedulesOfEveryKindFireInTimeOrderOnTheOneAlarm() {
    inAgent(r -> r.schedule(Duration.ofMinutes(30), "remind", "third"));
    inAgent(r -> r.schedule(Instant.parse("2026-01-01T00:20:00Z"), "remindWithSchedule", "second"));
    inAgent(r -> r.schedule(Duration.ofMinutes(10), "remind", "first"));
    assertThatSchedules(dos, agent).hasSize(3).nextIs("remind", Instant.parse("2026-01-01T00:10:00Z"));

    dos.clock().advance(Duration.ofHours(1));

    assertThat(fired()).containsExactly("first@2026-01-01T00:10:00Z", "second/scheduled@2026-01-01T00:20:00Z",
        "third@2026-01-01T00:30:00Z");
  }

  @Test
  void aCronScheduleRunsAtEveryMatchAndStays() {
    inAgent(r -> r.schedule("*/15 * * * *", "remind", "quarter"));

    dos.clock().advance(Duration.ofHours(1));

    assertThat(fired()).containsExactly("quarter@2026-01-01T00:15:00Z", "quarter@2026-01-01T00:30:00Z",
        "quarter@2026-01-01T00:45:00Z", "quarter@2026-01-01T01:00:00Z");
    assertThatSchedules(dos, agent).hasSize(1).nextIs("remind", Instant.parse("2026-01-01T01:15:00Z"));
  }

  @Test
  void anIntervalScheduleRepeatsUntilCancelled() {
    Schedule every = inAgent(r -> r.scheduleEvery(Duration.ofMinutes(20), "tick", null));
    dos.clock().advance(Duration.ofHours(1));
    assertThat(fired()).containsExactly("tick@2026-01-01T00:20:00Z", "tick@2026-01-01T00:40:00Z",
        "tick@2026-01-01T01:00:00Z");

    assertThat((boolean) inAgent(r -> r.cancelSchedule(every.id()))).isTrue();
    dos.clock().advance(Duration.ofHours(1));

    assertThat(fired()).hasSize(3);
    assertThatSchedules(dos, agent).isEmpty();
    assertThat(dos.snapshot(agent).alarm()).as("no schedule left, no alarm").isEmpty();
  }

  @Test
  void aCancelledScheduleNeverRunsAndCancellingTwiceSaysSo() {
    Schedule s = inAgent(r -> r.schedule(Duration.ofMinutes(5), "remind", "never"));
    inAgent(r -> r.schedule(Duration.ofMinutes(10), "remind", "later"));

    assertThat((boolean) inAgent(r -> r.cancelSchedule(s.id()))).isTrue();
    assertThat((boolean) inAgent(r -> r.cancelSchedule(s.id()))).isFalse();
    dos.clock().advance(Duration.ofMinutes(10));

    assertThat(fired()).containsExactly("later@2026-01-01T00:10:00Z");
  }

  @Test
  void aScheduleCancelledByOneThatRanBeforeItInTheSameAlarmDoesNotRun() {
    inAgent(r -> r.schedule(Duration.ofMinutes(1), "cancelOthers", "keep"));
    inAgent(r -> r.schedule(Duration.ofMinutes(1), "remind", "doomed"));

    dos.clock().advance(Duration.ofMinutes(1));

    assertThat(fired()).containsExactly("cancelled others@2026-01-01T00:01:00Z");
  }

  @Test
  void schedulesLiveInStorageSoTheyFireAfterTheAgentWasEvicted() {
    inAgent(r -> r.schedule(Duration.ofMinutes(10), "remind", "still here"));

    dos.evict(agent);
    dos.clock().advance(Duration.ofMinutes(10));

    assertThat(fired()).containsExactly("still here@2026-01-01T00:10:00Z");
  }

  @Test
  void aFailingMethodIsRetriedWithTheAlarmsBackoffAndTheSchedulesBeforeItDoNotRunAgain() {
    Reminders.FLAKY_FAILURES_LEFT.set(1);
    inAgent(r -> r.schedule(Duration.ofMinutes(1), "remind", "before"));
    inAgent(r -> r.schedule(Duration.ofMinutes(2), "flaky", "eventually"));

    dos.clock().advance(Duration.ofMinutes(2));
    assertThat(fired()).containsExactly("before@2026-01-01T00:01:00Z");
    dos.clock().advance(Duration.ofSeconds(2)); // the runtime's first retry

    assertThat(fired()).containsExactly("before@2026-01-01T00:01:00Z", "eventually@2026-01-01T00:02:02Z");
    assertThatSchedules(dos, agent).isEmpty();
  }

  @Test
  void badSchedulesAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> inAgent(r -> r.schedule(Duration.ofMinutes(1), "remnid", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Reminders has no method 'remnid' to schedule");
    assertThatThrownBy(() -> inAgent(r -> r.schedule("61 * * * *", "remind", "x")))
        .hasMessageContaining("the minute '61' is not a number within 0..59");
    assertThatThrownBy(() -> inAgent(r -> r.scheduleEvery(Duration.ZERO, "tick", null)))
        .hasMessageContaining("the interval must be within 1 second..30 days");
    assertThatSchedules(dos, agent).isEmpty();
  }

  @Test
  void schedulesAreRowsOfTheSdksTable() {
    inAgent(r -> r.schedule("0 9 * * MON", "remind", "standup"));

    List<Object> row = dos.callInDurableObject(agent, (Reminders r, DurableObjectState s) -> List.of(
        s.storage().sql().exec("SELECT callback, payload, type, time, cron FROM cf_agents_schedules").one()
            .values().toArray()));
    assertThat(row).containsExactly("remind", "\"standup\"", "cron",
        Instant.parse("2026-01-05T09:00:00Z").getEpochSecond(), "0 9 * * MON");
  }
}
