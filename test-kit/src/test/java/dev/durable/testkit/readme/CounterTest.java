package dev.durable.testkit.readme;

import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example test, kept here so it is known to pass. */
class CounterTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .worker(new App())
      .build();

  @Test
  void countsAndKeepsTheCountWhenEvicted() {
    DurableObjectStub stub = dos.stub("COUNTER", "a");
    CounterApi counter = stub.as(CounterApi.class);
    counter.increment(2);

    dos.evict(stub);                                      // the constructor runs again

    assertThat(counter.increment(1)).isEqualTo(3);
    assertThat(stub).hasValue("n", 3);
  }

  @Test
  void eachTestStartsFromEmptyStorage() {
    assertThat(dos.stub("COUNTER", "a")).doesNotHaveKey("n");
  }

  @Test
  void theAlarmFiresWhenTheTestMovesTheClock() {
    DurableObjectStub stub = dos.stub("COUNTER", "a");
    dos.runInDurableObject(stub, (Counter counter, DurableObjectState state) -> {
      state.storage().sql().exec("CREATE TABLE log (at TEXT)");
      state.storage().setAlarm(state.now().plus(Duration.ofDays(1)));
    });

    dos.clock().advance(Duration.ofHours(23));
    assertThat(stub).hasRowCount("log", 0);
    dos.clock().advance(Duration.ofHours(1));
    assertThat(stub).hasRowCount("log", 1).hasNoAlarm();
  }

  @Test
  void theWorkerAnswersRequests() {
    assertThat(dos.worker().fetch("/counter?name=a")).hasStatus(200).hasBody("1");
  }

  @Test
  void outboundFetchesAreAnsweredByTheTest() {
    dos.fetchMock().on("GET", "https://api.example.com/rate").reply(200, "{\"rate\": 2}");

    assertThat(dos.worker().fetch("/rate")).hasStatus(200).hasJsonBody("{\"rate\": 2}");
  }
}
