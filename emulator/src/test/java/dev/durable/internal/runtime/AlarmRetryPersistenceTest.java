package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.RuntimeTestSupport.T0;
import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.alarm.AlarmStore;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm's retry count lives on disk beside the alarm: it survives a restart, and a delivery
 * the process did not live to finish counts as a retry (the process-level test kills a real
 * emulator; here the store is left as such a crash leaves it).
 */
class AlarmRetryPersistenceTest {
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

  private void restartAt(Instant now) {
    runtime.close();
    clock = new StepClock(now);
    runtime = RuntimeTestSupport.onDisk(dir).clock(clock).build();
    clock.advance(Duration.ZERO);
  }

  /** What a crash in the middle of the handler leaves: the attempt recorded, nothing else. */
  private void crashDuringDelivery(String name, Instant scheduled, int retryCount) {
    ObjectNamespace ns = ((ObjectNamespace) runtime.namespace("ALARM"));
    String id = ns.idFromName(name).toString();
    Path namespaceDir = ns.directory();
    runtime.close();
    try (AlarmStore store = new AlarmStore(namespaceDir, false)) {
      store.beginAttempt(id, scheduled, retryCount);
    }
  }

  @Test
  void aRetryAfterAFailureKeepsItsCountAcrossARestart() {
    object("r").failTimes(1);
    object("r").schedule(T0.plusSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(TestObjects.Alarmed.deliveries).hasSize(1);

    restartAt(T0.plusSeconds(60));

    assertThat(TestObjects.Alarmed.deliveries).as("the failed attempt, then the retry after the restart")
        .hasSize(2);
    assertThat(TestObjects.Alarmed.deliveries.get(1)).contains("retry=1 isRetry=true");
    assertThat(alarmOf("r")).as("success deletes the alarm").isEmpty();
  }

  @Test
  void aDeliveryCutOffByACrashRunsAgainAsARetry() {
    object("c").schedule(T0.plusSeconds(10));
    crashDuringDelivery("c", T0.plusSeconds(10), 0);

    restartAt(T0.plusSeconds(60));

    assertThat(TestObjects.Alarmed.deliveries).containsExactly("c " + T0.plusSeconds(60)
        + " retry=1 isRetry=true scheduled=" + T0.plusSeconds(10) + " pending=false");
    restartAt(T0.plusSeconds(120));
    assertThat(TestObjects.Alarmed.deliveries).as("delivered once the retry succeeded, not again").hasSize(1);
  }

  @Test
  void aStaleAttemptRecordDoesNotCountForANewAlarm() {
    object("n").schedule(T0.plusSeconds(10));
    crashDuringDelivery("n", T0.plusSeconds(5), 3);
    restartAt(T0.plusSeconds(60));
    assertThat(TestObjects.Alarmed.deliveries).singleElement().asString().contains("retry=0 isRetry=false");
  }

  @Test
  void anAlarmCutOffDuringItsLastRetryIsDroppedWithoutAnotherRun() {
    object("g").schedule(T0.plusSeconds(10));
    crashDuringDelivery("g", T0.plusSeconds(10), 6);

    restartAt(T0.plusSeconds(60));

    assertThat(TestObjects.Alarmed.deliveries).as("six retries were used up").isEmpty();
    assertThat(alarmOf("g")).isEmpty();
  }

  @Test
  void aNewAlarmSetByTheHandlerStartsItsCountAfresh() {
    object("s").rescheduleFromAlarm(T0.plusSeconds(100));
    object("s").schedule(T0.plusSeconds(1));
    crashDuringDelivery("s", T0.plusSeconds(1), 0);
    restartAt(T0.plusSeconds(2));
    assertThat(TestObjects.Alarmed.deliveries).singleElement().asString().contains("retry=1");

    restartAt(T0.plusSeconds(200));

    assertThat(TestObjects.Alarmed.deliveries).hasSize(2);
    assertThat(TestObjects.Alarmed.deliveries.get(1)).contains("retry=0 isRetry=false");
  }
}
