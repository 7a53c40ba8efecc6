package dev.durable.internal.websocket;

import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import dev.durable.internal.gate.OutputGate;
import dev.durable.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-process WebSocket pair. What one end sends is queued at the other end and
 * handed to that end's listener one event at a time, in order, on a virtual thread; events that
 * arrive before a listener is set wait for it.
 */
public final class LocalWebSocket implements WebSocket {
  private static final Logger log = LoggerFactory.getLogger(LocalWebSocket.class);
  private static final int MAX_REASON_BYTES = 123;

  private final String side;
  private LocalWebSocket peer;
  private final ConcurrentLinkedQueue<Event> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile WebSocketListener listener;
  /** Events go to the listener on the sender's thread (see {@link #acceptInline}). */
  private volatile boolean inline;
  private volatile boolean closed;
  /** This end closed (or failed), as opposed to hearing the other end's close. */
  private volatile boolean closedHere;
  private volatile byte[] attachment;

  private LocalWebSocket(String side) {
    this.side = side;
  }

  /** A connected pair: index 0 is the client end, 1 the server end. */
  public static LocalWebSocket[] pair() {
    LocalWebSocket client = new LocalWebSocket("client");
    LocalWebSocket server = new LocalWebSocket("server");
    client.peer = server;
    server.peer = client;
    return new LocalWebSocket[] {client, server};
  }

  @Override
  public void send(String message) {
    if (canSend(message)) {
      OutputGate.release(() -> peer.deliver(new Event.Text(message)));
    }
  }

  @Override
  public void send(byte[] message) {
    if (canSend(message)) {
      byte[] copy = Arrays.copyOf(message, message.length);
      OutputGate.release(() -> peer.deliver(new Event.Binary(copy)));
    }
  }

  @Override
  public void close(int code, String reason) {
    String why = reason == null ? "" : reason;
    if (code != 1000 && (code < 3000 || code > 4999)) {
      throw new IllegalArgumentException("WebSocket close code must be 1000 or within 3000..4999, got "
          + code);
    }
    if (why.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      throw new IllegalArgumentException("WebSocket close reason must be at most " + MAX_REASON_BYTES
          + " bytes of UTF-8");
    }
    closeWith(code, why);
  }

  /**
   * Closes with any code, as the network side does (1001 going away, 1006 abnormal, 1009 too
   * big); the other end sees the code. Does nothing when already closed.
   */
  public void closeWith(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    closedHere = true;
    OutputGate.release(() -> peer.deliver(new Event.Close(code, reason, true)));
  }

  /** The connection behind this end failed: the other end's listener hears of it; both close. */
  public void failConnection(Throwable error) {
    if (closed) {
      return;
    }
    closed = true;
    closedHere = true;
    peer.closed = true;
    peer.deliver(new Event.Error(error));
  }

  @Override
  public ReadyState readyState() {
    return closed ? ReadyState.CLOSED : ReadyState.OPEN;
  }

  @Override
  public void serializeAttachment(Object value) {
    if (value == null) {
      attachment = null;
      return;
    }
    byte[] json = Json.toBytes(value);
    if (json.length > MAX_ATTACHMENT_BYTES) {
      throw new IllegalArgumentException("WebSocket attachment is " + json.length
          + " bytes as JSON; the limit is " + MAX_ATTACHMENT_BYTES);
    }
    attachment = json;
  }

  @Override
  public <T> Optional<T> deserializeAttachment(Class<T> type) {
    byte[] a = attachment;
    return a == null ? Optional.empty() : Optional.of(Json.fromBytes(a, type));
  }

  @Override
  public void accept(WebSocketListener listener) {
    setListener(listener, false);
    drainLater();
  }

  /**
   * Like {@link #accept}, for a listener that never blocks (the network bridge, whose sends are
   * asynchronous): events reach it on the sending thread, in order, without a hop through a
   * virtual thread. Events queued before this call are handed over first.
   */
  public void acceptInline(WebSocketListener listener) {
    setListener(listener, true);
  }

  private synchronized void setListener(WebSocketListener listener, boolean inline) {
    if (listener == null) {
      throw new IllegalArgumentException("WebSocket listener must not be null");
    }
    if (this.listener != null) {
      throw new IllegalStateException("This WebSocket was already accepted");
    }
    this.listener = listener;
    if (inline) {
      Event e;
      while ((e = inbox.poll()) != null) {
        dispatch(e);
      }
      this.inline = true;
    }
  }

  /** Whether a listener or an object has accepted this end. */
  public boolean isAccepted() {
    return listener != null;
  }

  @Override
  public String toString() {
    return "WebSocket(" + side + (closed ? ", closed" : "") + ")";
  }

  /**
   * Whether a message can go out: sending after this end closed is a mistake and fails; a message
   * to a socket whose other end closed meanwhile (a broadcast racing a disconnect) is dropped, as
   * browsers drop it, and the close reaches the listener as usual.
   */
  private boolean canSend(Object message) {
    if (message == null) {
      throw new IllegalArgumentException("WebSocket message must not be null");
    }
    if (closedHere) {
      throw new IllegalStateException("Can't call WebSocket send() after the socket was closed");
    }
    return !closed;
  }

  private void deliver(Event event) {
    if (event instanceof Event.Close) {
      closed = true;
    }
    if (inline) {
      synchronized (this) { // keeps the order of events sent from different threads
        dispatch(event);
      }
      return;
    }
    synchronized (this) {
      if (inline) {
        dispatch(event);
        return;
      }
      inbox.add(event);
    }
    drainLater();
  }

  private void drainLater() {
    if (listener != null && !inbox.isEmpty() && draining.compareAndSet(false, true)) {
      Thread.ofVirtual().name("durable-websocket").start(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Event e;
      while ((e = inbox.poll()) != null) {
        dispatch(e);
      }
      draining.set(false);
      if (inbox.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void dispatch(Event event) {
    WebSocketListener l = listener;
    try {
      switch (event) {
        case Event.Text t -> l.onMessage(this, t.text());
        case Event.Binary b -> l.onMessage(this, b.bytes());
        case Event.Close c -> l.onClose(this, c.code(), c.reason(), c.wasClean());
        case Event.Error err -> l.onError(this, err.error());
      }
    } catch (Throwable t) {
      log.error("WebSocket handler failed on {}", describe(event), t);
    }
  }

  private static String describe(Event event) {
    return switch (event) {
      case Event.Text t -> "a text message of " + t.text().length() + " chars";
      case Event.Binary b -> "a binary message of " + b.bytes().length + " bytes";
      case Event.Close c -> "close " + c.code();
      case Event.Error e -> "error " + e.error();
    };
  }

  /** What one end receives. */
  private sealed interface Event {
    record Text(String text) implements Event {}
    record Binary(byte[] bytes) implements Event {}
    record Close(int code, String reason, boolean wasClean) implements Event {}
    record Error(Throwable error) implements Event {}
  }
}
