package dev.durable.samples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.agents.testing.TestAgentClient;
import dev.durable.samples.counter.CounterAgent.Count;
import dev.durable.testkit.DurableObjectsExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CounterAgentTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder().config(Path.of("durable.jsonc")).build();

  private static TestAgentClient connect(String name) {
    return TestAgentClient.over(dos.worker().connectWebSocket("/agents/counter-agent/" + name));
  }

  @Test
  void clientsThroughTheWorkerStartAtZeroAndSeeEveryIncrement() {
    TestAgentClient ada = connect("hello");
    TestAgentClient bob = connect("hello");
    assertThat(ada.identity()).isEqualTo(new TestAgentClient.Identity("hello", "counter-agent"));
    assertThat(ada.state(Count.class)).contains(new Count(0));

    assertThat(ada.call(Long.class, "increment", 2)).isEqualTo(2);

    assertThat(bob.nextState(Count.class)).isEqualTo(new Count(2));
    assertThat(dos.worker().fetch("/agents/counter-agent/hello").text()).isEqualTo("{\"count\":2}");
  }

  @Test
  void theSessionsUnderAgentsKeepTheirRoutes() {
    assertThat(dos.worker().fetch("/agents/trip/messages").status()).isEqualTo(200);
  }
}
