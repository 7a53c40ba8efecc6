package dev.durable.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private static final Instant T0 = ManualClock.DEFAULT_START;
  private final ManualClock clock = ManualClock.create();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private void at(long seconds, String name) {
    clock.schedule(T0.plusSeconds(seconds), () -> ran.add(name + "@" + clock.instant()));
  }

  private static String t(long seconds) {
    return T0.plusSeconds(seconds).toString();
  }

  @Test
  void timersRunInTimeThenSchedulingOrderEachAtItsOwnInstant() {
    at(5, "c");
    at(2, "a");
    at(5, "d");
    at(2, "b");

    clock.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("a@" + t(2), "b@" + t(2), "c@" + t(5), "d@" + t(5));
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void aJumpPastTheLastInstantRunsEveryTimerAndStopsThere() {
    Instant y2400 = Instant.parse("2400-01-01T00:00:00Z");
    clock.schedule(y2400, () -> ran.add("y2400@" + clock.instant()));

    clock.advance(Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(ran).containsExactly("y2400@" + y2400);
    assertThat(clock.instant()).isEqualTo(Instant.MAX);
  }

  @Test
  void nothingRunsUntilTheClockMoves() {
    at(0, "now");
    at(-5, "past");
    assertThat(ran).isEmpty();
    assertThat(clock.nextTimer()).contains(T0.minusSeconds(5));

    clock.advance(Duration.ZERO);

    assertThat(ran).containsExactly("past@" + t(0), "now@" + t(0));
  }

  @Test
  void timersScheduledDuringAMoveRunInItWhenTheyFallInsideIt() {
    clock.schedule(T0.plusSeconds(1), () -> {
      ran.add("first@" + clock.instant());
      at(3, "inside");
      at(20, "outside");
    });

    clock.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("first@" + t(1), "inside@" + t(3));
    assertThat(clock.nextTimer()).contains(T0.plusSeconds(20));
  }

  @Test
  void aCancelledTimerDoesNotRun() {
    clock.schedule(T0.plusSeconds(1), () -> ran.add("cancelled")).cancel();
    at(2, "kept");

    clock.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("kept@" + t(2));
  }

  @Test
  void setInstantForwardRunsTimersAndBackwardOnlySetsTheTime() {
    at(5, "a");
    clock.setInstant(T0.plusSeconds(5));
    assertThat(ran).containsExactly("a@" + t(5));

    at(4, "b");
    clock.setInstant(T0.plusSeconds(1));

    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(1));
    assertThat(ran).hasSize(1);
    clock.advance(Duration.ofSeconds(3));
    assertThat(ran).containsExactly("a@" + t(5), "b@" + t(4));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("advance() needs a duration of zero or more, got PT-1S");
    assertThatThrownBy(() -> clock.setInstant(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ManualClock.startingAt(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.sleep(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTaskThatFailsFailsTheMoveAfterTheOtherTimersRan() {
    clock.schedule(T0.plusSeconds(1), () -> {
      throw new IllegalStateException("task broke");
    });
    at(2, "after");

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("A timer task failed while the clock moved to " + t(5))
        .hasRootCauseMessage("task broke");
    assertThat(ran).containsExactly("after@" + t(2));
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void aTaskCannotMoveTheClock() {
    clock.schedule(T0.plusSeconds(1), () -> clock.advance(Duration.ofSeconds(1)));

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1)))
        .hasRootCauseMessage("advance() called while the clock is already moving (from a timer task or"
            + " another thread: main)");
  }

  @Test
  void aSleeperWakesWhenTheClockPassesItsEndAndSeesThatTime() throws Exception {
    CompletableFuture<Instant> woke = CompletableFuture.supplyAsync(() -> {
      try {
        clock.sleep(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return clock.instant();
    });
    clock.awaitSleeping(1);

    clock.advance(Duration.ofSeconds(29));
    assertThat(woke).isNotDone();
    clock.advance(Duration.ofSeconds(1));

    assertThat(woke.get()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void aTaskThatSleepsLetsTheMoveGoOnAndFinishesWithinIt() {
    clock.schedule(T0.plusSeconds(1), () -> {
      ran.add("start@" + clock.instant());
      try {
        clock.sleep(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      ran.add("woke@" + clock.instant());
    });
    at(3, "between");

    clock.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("start@" + t(1), "between@" + t(3), "woke@" + t(6));
  }

  @Test
  void sleepingForZeroReturnsAtOnce() throws Exception {
    clock.sleep(Duration.ZERO);
    assertThat(clock.nextTimer()).isEmpty();
  }

  @Test
  void shuttingDownInterruptsSleepersAndDropsTimers() {
    at(1, "dropped");
    CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
      try {
        clock.sleep(Duration.ofHours(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException("interrupted", e);
      }
    });
    clock.awaitSleeping(1);

    clock.shutDown();

    assertThatThrownBy(sleeper::join).hasRootCauseInstanceOf(InterruptedException.class);
    assertThat(clock.nextTimer()).isEmpty();
  }
}
