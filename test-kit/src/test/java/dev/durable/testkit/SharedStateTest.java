package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With sharedState() the tests of a class share one runtime, clock included. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStateTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .sharedState()
      .build();

  @BeforeAll
  static void seed(ManualClock clock) {
    dos.stub("COUNTER", "c").as(CounterApi.class).increment(10);
    clock.advance(Duration.ofHours(1));
  }

  @Test
  @Order(1)
  void theFirstTestSeesWhatBeforeAllWrote() {
    assertThat(dos.stub("COUNTER", "c").as(CounterApi.class).increment(1)).isEqualTo(11);
  }

  @Test
  @Order(2)
  void theSecondTestSeesTheFirstOnesWriteAndClock() {
    assertThat(dos.stub("COUNTER", "c")).hasValue("count", 11);
    assertThat(dos.clock().instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofHours(1)));
  }
}
