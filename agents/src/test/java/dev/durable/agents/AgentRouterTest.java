package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.agents.TestAgents.Stateless;
import dev.durable.agents.TestAgents.Tally;
import dev.durable.agents.testing.TestAgentClient;
import dev.durable.testkit.DurableObjectsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentRouterTest {
  /** Routes agents first; answers everything else itself, so a test sees who answered. */
  public static class RoutingWorker implements Worker {
    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      AgentRouter router = "pass".equals(request.query("mode"))
          ? AgentRouter.builder().bindings("TALLY_AGENT").passUnknownAgents().build()
          : AgentRouter.builder().build();
      return router.route(request, env).orElseGet(() -> Response.text("the worker's own route"));
    }
  }

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("TALLY_AGENT", Tally.class)
      .bind("QUIET", Stateless.class)
      .worker(new RoutingWorker())
      .build();

  private static Response get(String path) {
    return dos.worker().fetch(path);
  }

  @Test
  void anAgentIsFoundByItsKebabCaseBindingNameOrClassName() {
    TestAgentClient byBinding = TestAgentClient.over(dos.worker().connectWebSocket("/agents/tally-agent/room"));
    byBinding.call("increment", 3);

    assertThat(get("/agents/tally/room").text()).as("by class").isEqualTo("count of room is 3");
    assertThat(byBinding.identity()).isEqualTo(new TestAgentClient.Identity("room", "tally"));
  }

  @Test
  void theNameIsUrlDecodedAndMayNotHoldASlash() {
    assertThat(get("/agents/tally/Ada%20Lovelace%2B1").text()).isEqualTo("count of Ada Lovelace+1 is 0");

    Response slash = get("/agents/tally/a%2Fb");
    assertThat(slash.status()).isEqualTo(400);
    assertThat(slash.text()).isEqualTo("An agent name must not contain '/', got 'a/b'");
  }

  @Test
  void pathsBelowTheNameReachTheAgentsOnRequest() {
    assertThat(get("/agents/tally/deep/some/path").text()).isEqualTo("count of deep is 0");
  }

  @Test
  void anUnknownAgentUnderThePrefixIs400NamingTheKnownOnes() {
    Response r = get("/agents/nobody/x");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).isEqualTo("No agent 'nobody' under /agents/; the agents are quiet, stateless, tally-agent, tally");
  }

  @Test
  void pathsOutsideThePrefixOrWithoutANameAreLeftToTheWorker() {
    assertThat(get("/other/tally/x").text()).isEqualTo("the worker's own route");
    assertThat(get("/agents/tally").text()).isEqualTo("the worker's own route");
  }

  @Test
  void aRouterLimitedToSomeBindingsCanLeaveOtherNamesUnderThePrefixToTheWorker() {
    assertThat(get("/agents/trip/messages?mode=pass").text()).isEqualTo("the worker's own route");
    assertThat(get("/agents/quiet/x?mode=pass").text()).as("not among its bindings").isEqualTo("the worker's own route");
    assertThat(get("/agents/tally-agent/x?mode=pass").text()).isEqualTo("count of x is 0");
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> AgentRouter.builder().prefix("/")).hasMessageContaining("must have a path segment");
    assertThatThrownBy(() -> AgentRouter.builder().bindings()).hasMessageContaining("at least one binding");
  }

  @Test
  void namesAreKebabCasedAsTheJavaScriptClientDoes() {
    assertThat(AgentNames.kebab("CounterAgent")).isEqualTo("counter-agent");
    assertThat(AgentNames.kebab("COUNTER_AGENT")).isEqualTo("counter-agent");
    assertThat(AgentNames.kebab("HTTP_AGENT")).isEqualTo("http-agent");
    assertThat(AgentNames.kebab("HTTPAgent")).as("one word per capital, like the client").isEqualTo("h-t-t-p-agent");
    assertThat(AgentNames.kebab("my_Agent")).isEqualTo("my--agent");
  }
}
