package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import dev.durable.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules outlive the process: the alarm set for them fires when the runtime starts again. */
class ScheduleRestartTest {
  @TempDir
  Path state;

  private DurableRuntime start(ManualClock clock) {
    return DurableRuntime.builder().scriptName("app").bind("REMINDERS", Reminders.class)
        .stateDirectory(state).clock(clock).idleTimeout(Duration.ZERO).build();
  }

  private static Reminders.Log log(DurableRuntime runtime) {
    return runtime.env().durableObject("REMINDERS").getByName("ada").as(ReminderLog.class).state();
  }

  /** Reads the state through a typed stub, as another object would. */
  public interface ReminderLog {
    Reminders.Log state();
  }

  @Test
  void aScheduleDueWhileTheProcessWasDownFiresAtTheNextStartAndARepeatingOneGoesOn() {
    ManualClock before = ManualClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    try (DurableRuntime first = start(before)) {
      first.env().durableObject("REMINDERS").getByName("ada").as(ScheduleApi.class).scheduleBoth();
    }

    ManualClock after = ManualClock.startingAt(Instant.parse("2026-01-01T01:00:00Z"));
    try (DurableRuntime second = start(after)) {
      after.advance(Duration.ZERO); // what was due while the process was down fires now
      assertThat(log(second).fired()).containsExactly("once@2026-01-01T01:00:00Z", "hourly@2026-01-01T01:00:00Z");
      after.advance(Duration.ofHours(1));
      assertThat(log(second).fired()).endsWith("hourly@2026-01-01T02:00:00Z");
    }
  }

  /** What the test asks {@link Reminders} to schedule. */
  public interface ScheduleApi {
    void scheduleBoth();
  }
}
