package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client connected to an agent over a hibernatable WebSocket. Its id, URL, tags, read-only
 * flag and {@link #setState state} live in the socket's attachment, so they survive the agent
 * being evicted while the client stays connected. Two {@code Connection}s are equal when their
 * ids are.
 */
public final class Connection {
  private final WebSocket socket;
  private final ObjectNode attachment;

  private Connection(WebSocket socket, ObjectNode attachment) {
    this.socket = socket;
    this.attachment = attachment;
  }

  /** A new connection: its attachment is written now. */
  static Connection accept(WebSocket socket, String id, String uri, List<String> tags) {
    ObjectNode a = AgentJson.object();
    a.put("id", id);
    a.put("uri", uri);
    ArrayNode t = a.putArray("tags");
    tags.forEach(t::add);
    a.put("readonly", false);
    a.set("state", NullNode.getInstance());
    Connection c = new Connection(socket, a);
    c.save();
    return c;
  }

  /** The connection of a socket the agent accepted earlier, read back from its attachment. */
  static Connection of(WebSocket socket) {
    JsonNode a = socket.deserializeAttachment(JsonNode.class).orElse(null);
    if (!(a instanceof ObjectNode node) || !node.hasNonNull("id")) {
      throw new IllegalStateException("A WebSocket of this agent has no connection attachment;"
          + " was it accepted outside Agent.fetch()?");
    }
    return new Connection(socket, node);
  }

  /** The connection's id: the client's {@code _pk} query parameter, or a random one. */
  public String id() {
    return attachment.get("id").asText();
  }

  /** The URL the client connected to. */
  public String uri() {
    return attachment.get("uri").asText();
  }

  /** The tags the connection was accepted with (see {@link Agent#connectionTags}). */
  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    attachment.withArray("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /** Whether the client may not change the agent's state (see {@link #setReadonly}). */
  public boolean isReadonly() {
    return attachment.path("readonly").asBoolean(false);
  }

  /**
   * Makes the connection read-only or writable again. A read-only client's state frames are
   * answered with {@code cf_agent_state_error} "Connection is readonly", and a callable method
   * it calls cannot set the agent's state.
   */
  public void setReadonly(boolean readonly) {
    attachment.put("readonly", readonly);
    save();
  }

  /** This connection's own state read as a type, or empty when none was set. */
  public <T> Optional<T> state(Class<T> type) {
    JsonNode s = attachment.get("state");
    return s == null || s.isNull() ? Optional.empty() : Optional.of(AgentJson.read(s, type));
  }

  /**
   * Keeps a value with this connection (as JSON, within the WebSocket attachment limit of
   * {@value WebSocket#MAX_ATTACHMENT_BYTES} bytes in all); null clears it.
   */
  public void setState(Object state) {
    attachment.set("state", state == null ? NullNode.getInstance() : AgentJson.tree(state));
    save();
  }

  /** Sends a text frame to the client. */
  public void send(String message) {
    socket.send(message);
  }

  /** Sends a binary frame to the client. */
  public void send(byte[] message) {
    socket.send(message);
  }

  /** Sends a value as a JSON text frame. */
  public void sendJson(Object value) {
    socket.send(AgentJson.write(AgentJson.tree(value)));
  }

  /**
   * Closes the connection. A code within 4000..4999 tells the JavaScript client not to
   * reconnect: use it to refuse a client (for example, 4001 "unauthorized").
   */
  public void close(int code, String reason) {
    socket.close(code, reason);
  }

  /** Whether the socket is still open. */
  public boolean isOpen() {
    return socket.readyState() == WebSocket.ReadyState.OPEN;
  }

  /** The underlying WebSocket. */
  public WebSocket webSocket() {
    return socket;
  }

  /** Sends a frame unless the client has gone: replies to a client that left are dropped. */
  void sendIfOpen(JsonNode frame) {
    if (isOpen()) {
      socket.send(AgentJson.write(frame));
    }
  }

  private void save() {
    socket.serializeAttachment(attachment);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Connection other && other.id().equals(id());
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return "Connection " + id();
  }
}
