package dev.durable.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client end of an in-process WebSocket, as a test talks to it: what arrives is queued, and
 * {@link #next()} takes it in order. Waits are bounded only so a missing frame fails the test
 * instead of hanging it.
 */
public final class TestSocket implements WebSocketListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WebSocket ws;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  private TestSocket(WebSocket ws) {
    this.ws = ws;
  }

  /** Takes the socket of a 101 answer and starts receiving on it. */
  public static TestSocket of(Response upgrade) {
    assertThat(upgrade.status()).as("status of the upgrade, body: %s", upgrade.text()).isEqualTo(101);
    TestSocket socket = new TestSocket(upgrade.webSocket().orElseThrow());
    socket.ws.accept(socket);
    return socket;
  }

  /** Sends a text frame. */
  public void send(String text) {
    ws.send(text);
  }

  /** Sends a binary frame. */
  public void send(byte[] data) {
    ws.send(data);
  }

  /** Closes from the client's side. */
  public void close() {
    ws.close();
  }

  /** The next text frame. */
  public String next() throws InterruptedException {
    String frame = received.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 10 s (closed: %s)", closed.getNow("no")).isNotNull();
    return frame;
  }

  /** The next text frame read as a JSON object. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> nextJson() throws InterruptedException {
    String frame = next();
    try {
      return JSON.readValue(frame, Map.class);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Expected a JSON frame, got: " + frame, e);
    }
  }

  /** Frames received and not yet taken. */
  public int pending() {
    return received.size();
  }

  @Override
  public void onMessage(WebSocket socket, String message) {
    received.add(message);
  }

  @Override
  public void onMessage(WebSocket socket, byte[] message) {
    received.add("<binary " + message.length + " bytes>");
  }

  @Override
  public void onClose(WebSocket socket, int code, String reason, boolean wasClean) {
    closed.complete(code + " " + reason);
  }
}
