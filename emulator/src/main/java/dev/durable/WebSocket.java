package dev.durable;

import java.util.Optional;

/**
 * One end of a WebSocket. An object accepts the server end of a {@link WebSocketPair} with
 * {@link DurableObjectState#acceptWebSocket} (hibernatable: its messages reach the object's
 * {@code webSocket*} handlers) and returns the client end in {@link Response#webSocket}; the dev
 * server connects the client end to the network, and a test can talk to it directly.
 *
 * <p>Sends and closes made while an object handles an event leave only after the event's writes
 * are committed (the output gate).
 */
public interface WebSocket {
  /** The largest attachment, in bytes of its JSON form. */
  int MAX_ATTACHMENT_BYTES = 16 * 1024;

  /** The state of a socket. */
  enum ReadyState {
    /** Messages flow. */
    OPEN,
    /** Closed by either end: nothing more is delivered. */
    CLOSED
  }

  /**
   * Sends a text message to the other end. Fails once this end closed the socket; when the other
   * end has closed it (the close is on its way to {@code webSocketClose}), the message is dropped.
   */
  void send(String message);

  /** Sends a binary message to the other end (the bytes are copied). */
  void send(byte[] message);

  /**
   * Closes the socket with a code (1000, or 3000..4999 for application codes) and a reason of at
   * most 123 bytes; the other end sees both.
   */
  void close(int code, String reason);

  /** Closes the socket normally (code 1000). */
  default void close() {
    close(1000, "");
  }

  /** Whether the socket is open. */
  ReadyState readyState();

  /**
   * Keeps a value with the socket (copied as JSON, at most {@value #MAX_ATTACHMENT_BYTES}
   * bytes). It survives the object being evicted: read it back with {@link #deserializeAttachment}.
   */
  void serializeAttachment(Object value);

  /** The attachment read into a type, or empty when none was set. */
  <T> Optional<T> deserializeAttachment(Class<T> type);

  /**
   * Delivers this end's incoming events to a listener instead of an object. Use it for the
   * client end (in tests) or in a stateless worker; inside a Durable Object use
   * {@link DurableObjectState#acceptWebSocket} so the socket survives eviction. Events that
   * arrived before this call are delivered to the listener first, in order.
   */
  void accept(WebSocketListener listener);
}
