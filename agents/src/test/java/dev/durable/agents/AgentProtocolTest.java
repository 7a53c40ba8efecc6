package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.agents.TestAgents.Count;
import dev.durable.agents.TestAgents.Stateless;
import dev.durable.agents.TestAgents.Tally;
import dev.durable.agents.TestAgents.TallyApi;
import dev.durable.agents.testing.AgentCallException;
import dev.durable.agents.testing.TestAgentClient;
import dev.durable.testkit.DurableObjectsExtension;
import dev.durable.testkit.TestWebSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agents wire protocol, as Cloudflare's JavaScript client speaks it, and the Java hooks behind it. */
class AgentProtocolTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("TALLY", Tally.class)
      .bind("STATELESS", Stateless.class)
      .build();

  private static TestAgentClient client(String name) {
    return TestAgentClient.connect(dos, "TALLY", name);
  }

  @Test
  void aNewConnectionGetsTheIdentityThenTheStateThenTheMcpServers() {
    TestWebSocket ws = dos.connectWebSocket(dos.stub("TALLY", "room"), "/agents/tally/room?_pk=c1");

    assertThat(ws.receive()).isEqualTo("{\"type\":\"cf_agent_identity\",\"name\":\"room\",\"agent\":\"tally\",\"stateFollows\":true}");
    assertThat(ws.receive()).isEqualTo("{\"type\":\"cf_agent_state\",\"state\":{\"count\":0}}");
    assertThat(ws.receive()).isEqualTo("{\"type\":\"cf_agent_mcp_servers\",\"mcp\":{\"prompts\":[],\"resources\":[],\"servers\":{},\"tools\":[]}}");
  }

  @Test
  void anAgentWithoutStateSaysNoStateFollows() {
    TestWebSocket ws = dos.connectWebSocket(dos.stub("STATELESS", "s"), "/agents/stateless/s");

    assertThat(ws.receive()).isEqualTo("{\"type\":\"cf_agent_identity\",\"name\":\"s\",\"agent\":\"stateless\"}");
    assertThat(ws.receive()).startsWith("{\"type\":\"cf_agent_mcp_servers\"");
  }

  @Test
  void aCallableMethodRepliesWithItsResultAfterSendingTheNewStateToEveryClientTheCallerToo() {
    TestAgentClient ada = client("room");
    TestAgentClient bob = client("room");

    assertThat(ada.call("increment", 2).asLong()).isEqualTo(2);

    assertThat(ada.unreadFrames()).as("the state frame came before the reply")
        .extracting(f -> f.toString()).containsExactly("{\"type\":\"cf_agent_state\",\"state\":{\"count\":2}}");
    assertThat(ada.state(Count.class)).contains(new Count(2));
    assertThat(bob.nextState(Count.class)).isEqualTo(new Count(2));
  }

  @Test
  void theReplyToAVoidMethodHasNoResult() {
    TestAgentClient ada = client("void");
    ada.send("{\"type\":\"rpc\",\"id\":\"r1\",\"method\":\"reset\",\"args\":[]}");

    ada.nextState(Count.class);
    assertThat(ada.nextFrame().toString()).isEqualTo("{\"type\":\"rpc\",\"id\":\"r1\",\"success\":true,\"done\":true}");
  }

  @Test
  void aClientsStateChangeReachesTheOthersButIsNotEchoedToTheSender() {
    TestAgentClient ada = client("sync");
    TestAgentClient bob = client("sync");

    ada.setState(new Count(7));

    assertThat(bob.nextState(Count.class)).isEqualTo(new Count(7));
    assertThat(ada.call("increment", 1).asLong()).as("the agent stored ada's state").isEqualTo(8);
    assertThat(ada.unreadFrames()).as("only the state the call set, not an echo of ada's own")
        .extracting(JsonNode::toString).containsExactly("{\"type\":\"cf_agent_state\",\"state\":{\"count\":8}}");
  }

  @Test
  void aStateTheAgentRefusesIsAnsweredWithStateUpdateRejectedAndNotStored() {
    TestAgentClient ada = client("refuse");

    ada.setState(new Count(-1));

    assertThat(ada.nextStateError()).isEqualTo("State update rejected");
    assertThat(ada.call("increment", 0).asLong()).isZero();
  }

  @Test
  void aReadonlyConnectionCannotChangeTheStateByFrameNorThroughACallable() {
    TestAgentClient reader = TestAgentClient.over(
        dos.connectWebSocket(dos.stub("TALLY", "ro"), "/agents/tally/ro?readonly=1"));

    reader.setState(new Count(5));
    assertThat(reader.nextStateError()).isEqualTo("Connection is readonly");
    assertThatThrownBy(() -> reader.call("increment", 1)).isInstanceOf(AgentCallException.class)
        .hasMessage("Connection is readonly");
    assertThat(client("ro").state(Count.class)).contains(new Count(0));
  }

  @Test
  void onlyCallableMethodsAreReachableAndEveryFailureIsAnsweredWithItsMessage() {
    TestAgentClient ada = client("errors");

    assertThatThrownBy(() -> ada.call("nope")).hasMessage("Method nope does not exist");
    assertThatThrownBy(() -> ada.call("secret")).hasMessage("Method secret is not callable");
    assertThatThrownBy(() -> ada.call("setState", 1)).hasMessage("Method setState is not callable");
    assertThatThrownBy(() -> ada.call("fail")).hasMessage("the tally is broken");
    assertThatThrownBy(() -> ada.call("increment")).hasMessage("Method increment takes 1 argument, got 0");
    assertThatThrownBy(() -> ada.call("increment", "many"))
        .hasMessageStartingWith("Method increment, argument 1: Expected long but got \"many\"");
  }

  @Test
  void aStreamingMethodSendsItsChunksThenTheFinalResult() {
    TestAgentClient.StreamedResult result = client("stream").callStreaming("countdown", 3);

    assertThat(result.chunks()).extracting(JsonNode::asInt).containsExactly(3, 2, 1);
    assertThat(result.result().asText()).isEqualTo("liftoff");
  }

  @Test
  void aStreamingMethodThatThrowsEndsTheStreamWithItsMessage() {
    TestAgentClient ada = client("stream-error");

    assertThatThrownBy(() -> ada.callStreaming("brokenStream")).hasMessage("the stream broke");
  }

  @Test
  void stateAndEachConnectionsOwnStateSurviveTheAgentBeingEvicted() {
    TestAgentClient ada = client("evicted");
    TestAgentClient bob = client("evicted");
    ada.call("remember", "ada's note");
    ada.call("increment", 3);
    bob.nextState(Count.class);

    dos.evict(dos.stub("TALLY", "evicted"));

    assertThat(ada.call(String.class, "recall")).isEqualTo("ada's note");
    assertThat(bob.call(String.class, "recall")).isEqualTo("nothing");
    assertThat(bob.call("increment", 1).asLong()).isEqualTo(4);
  }

  @Test
  void theConnectionIdIsTheClientsPkAndTagsSelectConnections() {
    dos.connectWebSocket(dos.stub("TALLY", "tags"), "/agents/tally/tags?_pk=first&team=red");
    TestWebSocket blue = dos.connectWebSocket(dos.stub("TALLY", "tags"), "/agents/tally/tags?_pk=second&team=blue");
    TestAgentClient other = TestAgentClient.over(blue);

    assertThat(other.call("connectionIds")).extracting(JsonNode::asText).containsExactly("first", "second");
    other.send("team:blue");
    assertThat(other.socket().receive()).isEqualTo("hello team");
  }

  @Test
  void framesOutsideTheProtocolReachOnMessage() {
    TestAgentClient ada = client("chat");
    ada.send("hi there");
    assertThat(ada.socket().receive()).isEqualTo("echo: hi there");
  }

  @Test
  void onConnectRefusesAClientByClosingWithACodeTheClientWillNotRetry() {
    TestWebSocket ws = dos.connectWebSocket(dos.stub("TALLY", "auth"), "/agents/tally/auth?token=bad");

    assertThat(ws.awaitClose()).isEqualTo(new TestWebSocket.CloseStatus(4001, "unauthorized"));
  }

  @Test
  void plainHttpReachesOnRequestWhichAnswers404UnlessOverridden() {
    client("http").call("increment", 5);

    assertThat(dos.stub("TALLY", "http").fetch(Request.get("/agents/tally/http")).text()).isEqualTo("count of http is 5");
    var stateless = dos.stub("STATELESS", "x").fetch(Request.get("/agents/stateless/x"));
    assertThat(stateless.status()).isEqualTo(404);
    assertThat(stateless.text()).isEqualTo("stateless 'x' does not handle HTTP requests");
  }

  @Test
  void javaCodeCallsAnAgentThroughATypedStubAndItsClientsSeeTheChange() {
    TestAgentClient ada = client("typed");
    TallyApi tally = dos.env().durableObject("TALLY").getByName("typed", TallyApi.class);

    assertThat(tally.increment(4)).isEqualTo(4);
    assertThat(ada.nextState(Count.class)).isEqualTo(new Count(4));
  }

  @Test
  void theStateLivesInTheSdksTableAndRow() {
    client("stored").call("increment", 9);
    DurableObjectStub stub = dos.stub("TALLY", "stored");

    List<Object> row = dos.callInDurableObject(stub, (Tally t, dev.durable.DurableObjectState s) ->
        List.of(s.storage().sql().exec("SELECT id, state FROM cf_agents_state").one().values().toArray()));
    assertThat(row).containsExactly("cf_state_row_id", "{\"count\":9}");
  }
}
