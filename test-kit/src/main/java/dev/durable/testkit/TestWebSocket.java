package dev.durable.testkit;

import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import dev.durable.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client for tests, connected in-process to an object that accepted the upgrade
 * (no network). Messages the object sends queue up here; {@link #receive()} takes the next one,
 * waiting up to {@link #DEFAULT_WAIT} for it.
 *
 * <pre>{@code
 * TestWebSocket alice = dos.connectWebSocket(dos.stub("CHAT", "lobby"), "/chat/lobby?user=alice");
 * alice.send("hello");
 * assertThat(alice.receive()).contains("hello");
 * dos.evict(dos.stub("CHAT", "lobby"));   // the socket stays open
 * alice.close();
 * }</pre>
 */
public final class TestWebSocket implements AutoCloseable {
  /** How long {@link #receive()} and {@link #awaitClose()} wait. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
  /** Messages and bodies longer than this are cut short in failures. */
  private static final int SHOWN_CHARS = 200;

  /** How the object closed the socket. */
  public record CloseStatus(int code, String reason) {}

  private final WebSocket client;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private final String describe;

  private TestWebSocket(WebSocket client, String describe) {
    this.client = client;
    this.describe = describe;
    client.accept(new WebSocketListener() {
      @Override
      public void onMessage(WebSocket ws, String message) {
        received.add(message);
      }

      @Override
      public void onMessage(WebSocket ws, byte[] message) {
        received.add(message);
      }

      @Override
      public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
        closed.complete(new CloseStatus(code, reason));
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
      }
    });
  }

  /** Connects to the socket a 101 response carries; fails showing the response otherwise. */
  static TestWebSocket from(Response response, String describe) {
    if (response.status() != 101 || response.webSocket().isEmpty()) {
      throw new AssertionError("Expected " + describe + " to accept the WebSocket (101) but it answered "
          + response.status() + " " + ObjectSnapshot.shorten(response.text(), SHOWN_CHARS));
    }
    return new TestWebSocket(response.webSocket().get(), describe);
  }

  /** Sends a text message to the object. */
  public void send(String message) {
    client.send(message);
  }

  /** Sends a binary message to the object. */
  public void send(byte[] message) {
    client.send(message);
  }

  /** Sends a value as a JSON text message. */
  public void sendJson(Object value) {
    client.send(new String(Json.toBytes(value), StandardCharsets.UTF_8));
  }

  /** The next text message, waiting up to {@link #DEFAULT_WAIT}; fails when none comes. */
  public String receive() {
    return receive(DEFAULT_WAIT);
  }

  /** The next text message, waiting up to {@code wait}; fails when none comes. */
  public String receive(Duration wait) {
    Object m = take(wait);
    if (!(m instanceof String s)) {
      throw new AssertionError("Expected a text message from " + describe + " but got a binary one of "
          + ((byte[]) m).length + " bytes");
    }
    return s;
  }

  /** The next text message read as JSON into a type. */
  public <T> T receiveJson(Class<T> type) {
    return Json.fromBytes(receive().getBytes(StandardCharsets.UTF_8), type);
  }

  /** The next binary message. */
  public byte[] receiveBinary() {
    Object m = take(DEFAULT_WAIT);
    if (!(m instanceof byte[] b)) {
      throw new AssertionError("Expected a binary message from " + describe + " but got the text: "
          + ObjectSnapshot.shorten((String) m, SHOWN_CHARS));
    }
    return b;
  }

  /** The next {@code count} text messages, in order. */
  public List<String> receive(int count) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(receive());
    }
    return all;
  }

  /** The next message if one comes within {@code wait}: for checking that nothing was sent. */
  public Optional<Object> poll(Duration wait) {
    try {
      return Optional.ofNullable(received.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for a message from " + describe, e);
    }
  }

  /** Whether the socket is still open. */
  public boolean isOpen() {
    return client.readyState() == WebSocket.ReadyState.OPEN && !closed.isDone();
  }

  /** Waits until the object closes the socket and returns its code and reason. */
  public CloseStatus awaitClose() {
    try {
      return closed.get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Expected " + describe + " to close the socket within " + DEFAULT_WAIT);
    } catch (ExecutionException e) {
      throw new AssertionError("The socket to " + describe + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for " + describe + " to close", e);
    }
  }

  /** Closes the socket from the client's side with a code and reason the object sees. */
  public void close(int code, String reason) {
    if (client.readyState() == WebSocket.ReadyState.OPEN) {
      client.close(code, reason);
    }
  }

  /** Closes the socket normally (1000). */
  @Override
  public void close() {
    close(1000, "");
  }

  private Object take(Duration wait) {
    return poll(wait).orElseThrow(() -> new AssertionError("Expected a message from " + describe
        + " within " + wait + " but none came"
        + (closed.isDone() ? " (the socket is closed)" : "")));
  }
}
