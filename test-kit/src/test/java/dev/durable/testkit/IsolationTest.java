package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each test gets fresh storage, no alarms and a clock at the start, unless state is shared. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .bind("REMINDER", Reminder.class)
      .build();

  private static void writesTheSameKeyOfTheSameObject(long value) {
    DurableObjectStub stub = dos.stub("COUNTER", "shared-name");
    assertThat(stub).doesNotHaveKey("count");
    assertThat(stub.as(CounterApi.class).increment(value)).isEqualTo(value);
    assertThat(stub).hasValue("count", value);
  }

  @Test
  @Order(1)
  void aFirstTestWritesAKey() {
    writesTheSameKeyOfTheSameObject(1);
  }

  @Test
  @Order(2)
  void aSecondTestWritingTheSameKeyDoesNotSeeTheFirstOnesWrite() {
    writesTheSameKeyOfTheSameObject(2);
  }

  @Test
  @Order(3)
  void aTestLeavesAnAlarmAndMovesTheClock() {
    dos.stub("REMINDER", "r").as(ReminderApi.class).every(Duration.ofHours(1));
    dos.clock().advance(Duration.ofMinutes(30));
    assertThat(dos.clock().nextTimer()).isPresent();
  }

  @Test
  @Order(4)
  void theNextTestHasNoLeftoverAlarmAndAFreshClock() {
    assertThat(dos.clock().nextTimer()).isEmpty();
    assertThat(dos.clock().instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(dos.stub("REMINDER", "r")).hasNoAlarm();
    dos.clock().advance(Duration.ofDays(1));
    assertThat(dos.stub("REMINDER", "r").as(ReminderApi.class).attempts()).isEmpty();
  }

  @Test
  @Order(5)
  void eachTestHasItsOwnFetchMock(FetchMock fetchMock) {
    assertThat(fetchMock.requests()).isEmpty();
    assertThat(fetchMock).isSameAs(dos.fetchMock());
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class NestedTests {
    @Test
    @Order(1)
    void useTheOuterKitWithTheSameIsolation() {
      writesTheSameKeyOfTheSameObject(3);
    }

    @Test
    @Order(2)
    void andDoNotSeeEachOther() {
      writesTheSameKeyOfTheSameObject(4);
    }
  }
}
