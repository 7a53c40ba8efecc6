package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.RuntimeTestSupport.T0;
import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmTest {
  @TempDir
  Path dir;
  private StepClock clock;
  private DurableRuntime runtime;

  @BeforeEach
  void setUp() {
    TestObjects.Alarmed.deliveries.clear();
    TestObjects.Alarmed.failuresLeft.set(0);
    TestObjects.Alarmed.nextFromAlarm.set(null);
    clock = new StepClock(T0);
    runtime = RuntimeTestSupport.onDisk(dir).clock(clock).build();
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private TestObjects.AlarmApi object(String name) {
    return runtime.env().durableObject("ALARM").getByName(name, TestObjects.AlarmApi.class);
  }

  private Optional<Instant> alarmOf(String name) {
    return inObject(runtime, "ALARM", name, s -> s.getAlarm());
  }

  private static String at(long seconds, int retry) {
    Instant t = T0.plusSeconds(seconds);
    return t + " retry=" + retry + " isRetry=" + (retry > 0);
  }

  @Test
  void alarmFiresAtItsTimeAndNotBefore() {
    object("a").schedule(T0.plusSeconds(10));
    clock.advance(Duration.ofSeconds(9));
    assertThat(TestObjects.Alarmed.deliveries).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(object("a").log()).containsExactly(
        at(10, 0) + " scheduled=" + T0.plusSeconds(10) + " pending=false");
    assertThat(alarmOf("a")).as("success deletes the alarm").isEmpty();
  }

  @Test
  void anAlarmSetByItsHandlerForTheInstantItWasDeliveredAtFiresAgain() {
    object("again").schedule(T0.plusSeconds(1));
    TestObjects.Alarmed.nextFromAlarm.set(T0.plusSeconds(1));

    clock.advance(Duration.ofSeconds(1));

    assertThat(TestObjects.Alarmed.deliveries).extracting(d -> d.substring(6, d.indexOf(" scheduled")))
        .containsExactly(at(1, 0), at(1, 0));
    assertThat(alarmOf("again")).as("the second delivery set nothing, so none is left").isEmpty();
  }

  @Test
  void failingAlarmIsRetriedWithDoublingBackoff() {
    object("r").failTimes(3);
    object("r").schedule(T0.plusSeconds(1));
    clock.advance(Duration.ofMinutes(5));
    assertThat(TestObjects.Alarmed.deliveries).extracting(d -> d.substring(2, d.indexOf(" scheduled")))
        .containsExactly(at(1, 0), at(3, 1), at(7, 2), at(15, 3));
    assertThat(object("r").log()).as("only the successful attempt's writes were kept")
        .containsExactly(at(15, 3) + " scheduled=" + T0.plusSeconds(15) + " pending=false");
  }

  @Test
  void alarmIsDroppedAfterSixRetries() {
    object("g").failTimes(100);
    object("g").schedule(T0.plusSeconds(1));
    clock.advance(Duration.ofHours(1));
    assertThat(TestObjects.Alarmed.deliveries).hasSize(7);
    assertThat(TestObjects.Alarmed.deliveries.get(6)).contains("retry=6");
    assertThat(alarmOf("g")).isEmpty();
  }

  @Test
  void setAlarmInsideTheHandlerReplacesTheRetry() {
    object("s").failTimes(1);
    object("s").rescheduleFromAlarm(T0.plusSeconds(100));
    object("s").schedule(T0.plusSeconds(1));
    clock.advance(Duration.ofSeconds(50));
    assertThat(TestObjects.Alarmed.deliveries).hasSize(1);
    assertThat(alarmOf("s")).contains(T0.plusSeconds(100));
    clock.advance(Duration.ofSeconds(50));
    assertThat(TestObjects.Alarmed.deliveries).hasSize(2);
    assertThat(TestObjects.Alarmed.deliveries.get(1)).contains("retry=0");
  }

  @Test
  void persistedAlarmFiresAfterARestartOnTheSameDirectory() {
    object("p").schedule(T0.plusSeconds(10));
    runtime.close();
    clock = new StepClock(T0.plusSeconds(60));
    runtime = RuntimeTestSupport.onDisk(dir).clock(clock).build();
    clock.advance(Duration.ZERO);
    assertThat(object("p").log()).containsExactly(
        T0.plusSeconds(60) + " retry=0 isRetry=false scheduled=" + T0.plusSeconds(10) + " pending=false");
  }

  @Test
  void deletedOrReplacedAlarmsDoNotFire() {
    object("d").schedule(T0.plusSeconds(5));
    inObject(runtime, "ALARM", "d", s -> {
      s.deleteAlarm();
      return null;
    });
    object("e").schedule(T0.plusSeconds(5));
    object("e").schedule(T0.plusSeconds(8));
    clock.advance(Duration.ofSeconds(10));
    assertThat(TestObjects.Alarmed.deliveries).containsExactly(
        "e " + at(8, 0) + " scheduled=" + T0.plusSeconds(8) + " pending=false");
  }

  @Test
  void setAlarmRefusesBadTimesAndClassesWithoutAHandler() {
    inObject(runtime, "ALARM", "x", s -> {
      assertThatThrownBy(() -> s.setAlarm(Instant.EPOCH)).hasMessageContaining("after the Unix epoch");
      assertThatThrownBy(() -> s.setAlarm(null)).hasMessageContaining("must not be null");
      return null;
    });
    inObject(runtime, "COUNTER", "x", s -> {
      assertThatThrownBy(() -> s.setAlarm(T0.plusSeconds(1)))
          .hasMessageContaining("must override alarm(AlarmInfo) in order to call setAlarm()");
      return null;
    });
    assertThat(List.copyOf(TestObjects.Alarmed.deliveries)).isEmpty();
  }
}
