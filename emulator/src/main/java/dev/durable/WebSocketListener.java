package dev.durable;

/**
 * Receives the events of a {@link WebSocket} accepted with {@link WebSocket#accept}. Events of one
 * socket arrive one at a time, in order, on a virtual thread.
 */
public interface WebSocketListener {
  /** A text message arrived. */
  default void onMessage(WebSocket ws, String message) throws Exception {}

  /** A binary message arrived. */
  default void onMessage(WebSocket ws, byte[] message) throws Exception {}

  /** The other end closed the socket. */
  default void onClose(WebSocket ws, int code, String reason, boolean wasClean) throws Exception {}

  /** The connection failed. */
  default void onError(WebSocket ws, Throwable error) throws Exception {}
}
