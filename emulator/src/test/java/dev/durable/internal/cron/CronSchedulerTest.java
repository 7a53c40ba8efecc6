package dev.durable.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.internal.config.ConfigTestObjects.App;
import dev.durable.internal.config.DurableConfig;
import dev.durable.internal.runtime.StepClock;
import dev.durable.runtime.DurableRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CronSchedulerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private StepClock clock;
  private DurableRuntime runtime;
  private DurableConfig config;

  @BeforeEach
  void setUp() {
    App.scheduled.clear();
    App.failNext = false;
    clock = new StepClock(T0);
    config = DurableConfig.parse("""
        { "name": "app",
          "main": "dev.durable.internal.config.ConfigTestObjects$App",
          "triggers": { "crons": [ "*/20 * * * *", "0 * * * *" ] } }
        """, "durable.jsonc");
    runtime = config.resolveClasses(getClass().getClassLoader())
        .applyTo(DurableRuntime.builder().clock(clock).idleTimeout(Duration.ZERO))
        .build();
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  @Test
  void theWorkersScheduledHandlerRunsAtEachCronTimeOnTheRuntimeClock() {
    try (CronScheduler crons = CronScheduler.start(runtime, config.crons())) {
      clock.advance(Duration.ofMinutes(19));
      assertThat(App.scheduled).isEmpty();

      clock.advance(Duration.ofMinutes(41));

      assertThat(App.scheduled).as("runs due at the same minute come in no set order")
          .containsExactlyInAnyOrder(
          "*/20 * * * * @ 2026-01-01T00:20:00Z",
          "*/20 * * * * @ 2026-01-01T00:40:00Z",
          "*/20 * * * * @ 2026-01-01T01:00:00Z",
          "0 * * * * @ 2026-01-01T01:00:00Z");
    }
  }

  @Test
  void aHandlerThatThrowsIsLoggedAndTheScheduleGoesOn() {
    App.failNext = true;
    try (CronScheduler crons = CronScheduler.start(runtime, List.of(CronSchedule.parse("*/20 * * * *")))) {
      clock.advance(Duration.ofMinutes(60));
    }
    assertThat(App.scheduled).as("the first run threw; the next ones still ran").containsExactly(
        "*/20 * * * * @ 2026-01-01T00:20:00Z",
        "*/20 * * * * @ 2026-01-01T00:40:00Z",
        "*/20 * * * * @ 2026-01-01T01:00:00Z");
  }

  @Test
  void closingStopsTheSchedule() {
    CronScheduler crons = CronScheduler.start(runtime, config.crons());
    clock.advance(Duration.ofMinutes(20));
    assertThat(App.scheduled).hasSize(1);

    crons.close();
    clock.advance(Duration.ofHours(2));

    assertThat(App.scheduled).hasSize(1);
    assertThat(clock.pending()).as("timers left on the clock").isZero();
  }

  @Test
  void cronsNeedAWorker() {
    try (DurableRuntime bare = DurableRuntime.builder().clock(clock).build()) {
      assertThatThrownBy(() -> CronScheduler.start(bare, config.crons()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("need a worker to run; set 'main' in the configuration");
      CronScheduler.start(bare, List.of()).close();
    }
  }
}
