package dev.durable.agents.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.durable.agents.AgentNames;
import dev.durable.testkit.DurableObjectsExtension;
import dev.durable.testkit.TestWebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A client of one agent for tests, speaking the agents protocol as Cloudflare's JavaScript
 * {@code AgentClient} does, over an in-process WebSocket. Connecting reads the connect frames
 * (identity, state, MCP servers); {@link #call} sends an {@code rpc} frame and reads until its
 * reply. Frames that arrive meanwhile (state broadcasts, the agent's own messages) are kept, in
 * order, for {@link #nextFrame()}, and state frames also update {@link #state}.
 *
 * <pre>{@code
 * TestAgentClient ada = TestAgentClient.connect(dos, "COUNTER_AGENT", "room");
 * assertThat(ada.call("increment", 2).asLong()).isEqualTo(2);
 * assertThat(bob.nextState(Count.class).count()).isEqualTo(2);
 * }</pre>
 *
 * Reads wait up to {@link TestWebSocket#DEFAULT_WAIT} and fail when nothing comes.
 */
public final class TestAgentClient implements AutoCloseable {
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

  /** Who the agent said it is on connect. */
  public record Identity(String name, String agent) {}

  /** The frames of a streaming call: its chunks, then the final result (null node when none). */
  public record StreamedResult(List<JsonNode> chunks, JsonNode result) {}

  private final TestWebSocket socket;
  private final Deque<JsonNode> unread = new ArrayDeque<>();
  private final Identity identity;
  private JsonNode state;

  private TestAgentClient(TestWebSocket socket) {
    this.socket = socket;
    JsonNode first = read();
    if (!"cf_agent_identity".equals(first.path("type").asText())) {
      throw new AssertionError("Expected the agent's first frame to be cf_agent_identity, got " + first);
    }
    this.identity = new Identity(first.path("name").asText(), first.path("agent").asText());
    if (first.path("stateFollows").asBoolean(false)) {
      JsonNode stateFrame = read();
      if (!"cf_agent_state".equals(stateFrame.path("type").asText())) {
        throw new AssertionError("The identity said stateFollows but the next frame is " + stateFrame);
      }
      this.state = stateFrame.get("state");
    }
    JsonNode mcp = read();
    if (!"cf_agent_mcp_servers".equals(mcp.path("type").asText())) {
      throw new AssertionError("Expected cf_agent_mcp_servers after the identity and state, got " + mcp);
    }
  }

  /**
   * Connects to the agent of a binding by name, at {@code /agents/{kebab(binding)}/{name}} with
   * a fresh connection id, straight to the object (not through the worker).
   */
  public static TestAgentClient connect(DurableObjectsExtension dos, String binding, String name) {
    String path = "/agents/" + AgentNames.kebab(binding) + "/" + name + "?_pk=" + UUID.randomUUID();
    return new TestAgentClient(dos.connectWebSocket(dos.stub(binding, name), path));
  }

  /** Speaks the protocol over a socket just connected to an agent some other way (e.g. the worker). */
  public static TestAgentClient over(TestWebSocket socket) {
    return new TestAgentClient(socket);
  }

  /** The identity frame's name and agent. */
  public Identity identity() {
    return identity;
  }

  /** The last state this client has seen (on connect, or in a frame read since), as a type; empty if none. */
  public <T> Optional<T> state(Class<T> type) {
    return state == null ? Optional.empty() : Optional.of(convert(state, type));
  }

  /** Sends {@code {"type":"cf_agent_state","state":...}}, as the JavaScript client's {@code setState}. */
  public void setState(Object newState) {
    ObjectNode frame = JSON.createObjectNode();
    frame.set("state", JSON.valueToTree(newState));
    frame.put("type", "cf_agent_state");
    socket.send(frame.toString());
    state = frame.get("state");
  }

  /**
   * Calls a method and returns its result (a missing node for a void method); fails with an
   * {@link AgentCallException} carrying the agent's error.
   */
  public JsonNode call(String method, Object... args) {
    String id = send(method, args);
    while (true) {
      JsonNode reply = replyTo(id);
      if (!reply.path("success").asBoolean(false)) {
        throw new AgentCallException(method, reply.path("error").asText());
      }
      if (reply.path("done").asBoolean(true)) {
        return reply.path("result");
      }
    }
  }

  /** Calls a method and reads its result as a type. */
  public <T> T call(Class<T> resultType, String method, Object... args) {
    return convert(call(method, args), resultType);
  }

  /** Calls a streaming method and collects its chunks until the final frame. */
  public StreamedResult callStreaming(String method, Object... args) {
    String id = send(method, args);
    List<JsonNode> chunks = new ArrayList<>();
    while (true) {
      JsonNode reply = replyTo(id);
      if (!reply.path("success").asBoolean(false)) {
        throw new AgentCallException(method, reply.path("error").asText());
      }
      if (reply.path("done").asBoolean(false)) {
        return new StreamedResult(chunks, reply.path("result"));
      }
      chunks.add(reply.path("result"));
    }
  }

  /** The next frame: one kept while waiting for a reply, else the next to arrive. */
  public JsonNode nextFrame() {
    return unread.isEmpty() ? read() : unread.removeFirst();
  }

  /** Reads frames until a {@code cf_agent_state} one and returns its state; frames before it are dropped. */
  public <T> T nextState(Class<T> type) {
    return convert(next("cf_agent_state").get("state"), type);
  }

  /** Reads frames until a {@code cf_agent_state_error} one and returns its error. */
  public String nextStateError() {
    return next("cf_agent_state_error").path("error").asText();
  }

  /** The frames kept while waiting for replies and not taken yet, oldest first. */
  public List<JsonNode> unreadFrames() {
    return List.copyOf(unread);
  }

  /** Sends a raw text frame. */
  public void send(String frame) {
    socket.send(frame);
  }

  /** The socket underneath, e.g. to wait for the agent to close it. */
  public TestWebSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    socket.close();
  }

  private String send(String method, Object[] args) {
    String id = UUID.randomUUID().toString();
    ObjectNode frame = JSON.createObjectNode();
    ArrayNode list = frame.putArray("args");
    for (Object a : args) {
      list.add(JSON.valueToTree(a));
    }
    frame.put("id", id);
    frame.put("method", method);
    frame.put("type", "rpc");
    socket.send(frame.toString());
    return id;
  }

  private JsonNode replyTo(String id) {
    while (true) {
      JsonNode frame = read();
      if ("rpc".equals(frame.path("type").asText()) && id.equals(frame.path("id").asText())) {
        return frame;
      }
      unread.addLast(frame);
    }
  }

  private JsonNode next(String type) {
    while (true) {
      JsonNode frame = nextFrame();
      if (type.equals(frame.path("type").asText())) {
        return frame;
      }
    }
  }

  private JsonNode read() {
    String text = socket.receive();
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("The agent sent a frame that is not JSON: " + text, e);
    }
    if ("cf_agent_state".equals(frame.path("type").asText())) {
      state = frame.get("state");
    }
    return frame;
  }

  private static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Cannot read " + node + " as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
