package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.testkit.fixtures.Napper;
import dev.durable.testkit.fixtures.NapperApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlarmTimingTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("REMINDER", Reminder.class)
      .bind("NAPPER", Napper.class)
      .build();

  private static final Instant T0 = ManualClock.DEFAULT_START;

  private static Instant days(int n) {
    return T0.plus(Duration.ofDays(n));
  }

  @Test
  void aThirtyDayAlarmFiresExactlyThreeTimesInNinetyDays() {
    DurableObjectStub stub = dos.stub("REMINDER", "monthly");
    ReminderApi reminder = stub.as(ReminderApi.class);
    reminder.every(Duration.ofDays(30));

    dos.clock().advance(Duration.ofDays(90));

    assertThat(reminder.attempts()).containsExactly(
        "now=" + days(30) + " scheduled=" + days(30) + " retry=0",
        "now=" + days(60) + " scheduled=" + days(60) + " retry=0",
        "now=" + days(90) + " scheduled=" + days(90) + " retry=0");
    assertThat(reminder.fired()).containsExactly(days(30).toString(), days(60).toString(),
        days(90).toString());
    assertThat(stub).hasAlarmAt(days(120));
    assertThat(dos.clock().instant()).isEqualTo(days(90));
  }

  @Test
  void nothingFiresWithoutAdvance() {
    ReminderApi reminder = dos.stub("REMINDER", "idle").as(ReminderApi.class);
    reminder.at(T0.plusSeconds(1));
    reminder.every(Duration.ofMillis(1));

    assertThat(reminder.attempts()).isEmpty();
    assertThat(dos.clock().instant()).isEqualTo(T0);
    assertThat(dos.clock().nextTimer()).contains(T0.plusMillis(1));
  }

  @Test
  void aFailingAlarmIsRetriedAfterTwoFourAndEightSeconds() {
    ReminderApi reminder = dos.stub("REMINDER", "flaky").as(ReminderApi.class);
    reminder.failTimes(3);
    reminder.at(T0.plusSeconds(10));

    dos.clock().advance(Duration.ofMinutes(10));

    assertThat(reminder.attempts()).containsExactly(
        "now=" + T0.plusSeconds(10) + " scheduled=" + T0.plusSeconds(10) + " retry=0",
        "now=" + T0.plusSeconds(12) + " scheduled=" + T0.plusSeconds(12) + " retry=1",
        "now=" + T0.plusSeconds(16) + " scheduled=" + T0.plusSeconds(16) + " retry=2",
        "now=" + T0.plusSeconds(24) + " scheduled=" + T0.plusSeconds(24) + " retry=3");
    assertThat(reminder.fired()).as("the failed attempts' writes were rolled back")
        .containsExactly(T0.plusSeconds(24).toString());
    assertThat(dos.stub("REMINDER", "flaky")).hasNoAlarm();
  }

  @Test
  void anAlarmThatKeepsFailingIsRetriedSixTimesOnTheDoublingScheduleThenDropped() {
    ReminderApi reminder = dos.stub("REMINDER", "broken").as(ReminderApi.class);
    reminder.failTimes(100);
    reminder.at(T0.plusSeconds(1));

    dos.clock().advance(Duration.ofSeconds(1 + 2 + 4 + 8 + 16 + 32 + 64 - 1));
    assertThat(reminder.attempts()).as("the sixth retry is due at +127 s").hasSize(6);

    dos.clock().advance(Duration.ofHours(1));
    assertThat(reminder.attempts()).extracting(a -> a.substring(0, a.indexOf(" scheduled")))
        .containsExactly("now=" + T0.plusSeconds(1), "now=" + T0.plusSeconds(3), "now=" + T0.plusSeconds(7),
            "now=" + T0.plusSeconds(15), "now=" + T0.plusSeconds(31), "now=" + T0.plusSeconds(63),
            "now=" + T0.plusSeconds(127));
    assertThat(dos.stub("REMINDER", "broken")).hasNoAlarm();
  }

  @Test
  void alarmsOfSeveralObjectsFireInTimeOrderThenInTheOrderTheyWereSet() {
    ReminderApi late = dos.stub("REMINDER", "late").as(ReminderApi.class);
    ReminderApi first = dos.stub("REMINDER", "first").as(ReminderApi.class);
    ReminderApi second = dos.stub("REMINDER", "second").as(ReminderApi.class);
    late.at(T0.plusSeconds(20));
    first.at(T0.plusSeconds(10));
    second.at(T0.plusSeconds(10));

    dos.clock().advance(Duration.ofSeconds(15));
    assertThat(first.attempts()).hasSize(1);
    assertThat(second.attempts()).hasSize(1);
    assertThat(late.attempts()).isEmpty();
    dos.clock().advance(Duration.ofSeconds(5));
    assertThat(late.attempts()).containsExactly(
        "now=" + T0.plusSeconds(20) + " scheduled=" + T0.plusSeconds(20) + " retry=0");
  }

  @Test
  void anAlarmSetInThePastFiresOnTheNextMoveEvenOfZero() {
    ReminderApi reminder = dos.stub("REMINDER", "past").as(ReminderApi.class);
    reminder.at(T0.minusSeconds(60));
    assertThat(reminder.attempts()).isEmpty();

    dos.clock().advance(Duration.ZERO);

    assertThat(reminder.attempts()).containsExactly(
        "now=" + T0 + " scheduled=" + T0.minusSeconds(60) + " retry=0");
  }

  @Test
  void setInstantFiresWhatComesDueOnTheWay() {
    ReminderApi reminder = dos.stub("REMINDER", "set").as(ReminderApi.class);
    reminder.every(Duration.ofHours(1));

    dos.clock().setInstant(T0.plus(Duration.ofHours(2)).plusSeconds(1));

    assertThat(reminder.fired()).containsExactly(T0.plus(Duration.ofHours(1)).toString(),
        T0.plus(Duration.ofHours(2)).toString());
  }

  @Test
  void anAlarmHandlerThatSleepsWakesWithinTheSameMove() {
    DurableObjectStub stub = dos.stub("NAPPER", "alarm");
    stub.as(NapperApi.class).napInAlarm(T0.plusSeconds(10), Duration.ofSeconds(5));

    dos.clock().advance(Duration.ofSeconds(20));

    assertThat(stub).hasValue("woke", T0.plusSeconds(15).toString()).hasNoAlarm();
  }

  @Test
  void aCallThatSleepsReturnsOnceTheClockMovesPastItsEnd() {
    NapperApi napper = dos.stub("NAPPER", "call").as(NapperApi.class);
    CompletableFuture<String> woke = CompletableFuture.supplyAsync(() -> napper.napThenTell(Duration.ofMinutes(5)));

    dos.clock().awaitSleeping(1);
    dos.clock().advance(Duration.ofMinutes(4));
    assertThat(woke).isNotDone();
    dos.clock().advance(Duration.ofMinutes(1));

    assertThat(woke.join()).isEqualTo(T0.plus(Duration.ofMinutes(5)).toString());
  }
}
