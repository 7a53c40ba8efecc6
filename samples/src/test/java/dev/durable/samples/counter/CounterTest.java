package dev.durable.samples.counter;

import static dev.durable.samples.Requests.method;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CounterTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  @Test
  void postIncrementsAndAnswersTheNewValueAsPlainText() {
    assertThat(dos.worker().fetch(post("/counter/hello"))).hasStatus(200).hasBody("1");
    assertThat(dos.worker().fetch(post("/counter/hello"))).hasStatus(200).hasBody("2")
        .satisfies(r -> assertThat(r.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain")));
  }

  @Test
  void getAnswersZeroForANewCounterAndStoresNothing() {
    assertThat(dos.worker().fetch("/counter/fresh")).hasStatus(200).hasBody("0");
    assertThat(dos.snapshot(dos.stub("COUNTER", "fresh")).isEmpty()).isTrue();
  }

  @Test
  void getAnswersTheCurrentValueWithoutChangingIt() {
    dos.worker().fetch(post("/counter/a"));
    dos.worker().fetch(post("/counter/a"));
    assertThat(dos.worker().fetch("/counter/a")).hasBody("2");
    assertThat(dos.worker().fetch("/counter/a")).hasBody("2");
  }

  @Test
  void countersOfDifferentNamesAreIndependent() {
    dos.worker().fetch(post("/counter/a"));
    assertThat(dos.worker().fetch(post("/counter/b"))).hasBody("1");
    assertThat(dos.worker().fetch("/counter/a")).hasBody("1");
  }

  @Test
  void theCountLivesInStorageAndSurvivesEviction() {
    DurableObjectStub stub = dos.stub("COUNTER", "kept");
    dos.worker().fetch(post("/counter/kept"));
    dos.worker().fetch(post("/counter/kept"));

    dos.evict(stub);

    assertThat(dos.worker().fetch(post("/counter/kept"))).hasBody("3");
    assertThat(stub).hasValue("value", 3);
  }

  @Test
  void otherObjectsIncrementByAnyAmountThroughTypedRpc() {
    CounterApi counter = dos.stub("COUNTER", "rpc").as(CounterApi.class);
    assertThat(counter.increment(5)).isEqualTo(5);
    assertThat(counter.increment(-2)).isEqualTo(3);
    assertThat(counter.value()).isEqualTo(3);
    assertThat(dos.worker().fetch("/counter/rpc")).hasBody("3");
  }

  @Test
  void concurrentIncrementsNeverRace() throws Exception {
    int clients = 8;
    int each = 25;
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            assertThat(dos.worker().fetch(post("/counter/busy"))).hasStatus(200);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertThat(dos.worker().fetch("/counter/busy")).hasBody(Integer.toString(clients * each));
  }

  @Test
  void otherMethodsAreRefusedNamingTheOnesThatWork() {
    assertThat(dos.worker().fetch(method("DELETE", "/counter/a"))).hasStatus(405)
        .hasBody("Use GET to read the counter or POST to increment it")
        .satisfies(r -> assertThat(r.header("allow")).contains("GET, POST"));
  }

  @Test
  void pathsBeyondTheCounterAreNotFound() {
    assertThat(dos.worker().fetch(post("/counter/a/b"))).hasStatus(404);
    assertThat(dos.worker().fetch(post("/counter"))).hasStatus(404);
    assertThat(dos.runtime().tools().inMemory("COUNTER")).isEmpty();
  }

  @Test
  void aNameLongerThan64CharactersIsRefused() {
    assertThat(dos.worker().fetch(post("/counter/" + "n".repeat(65)))).hasStatus(400)
        .hasJsonBody("{\"error\": \"counter name has at most 64 characters, got 65\"}");
  }
}
