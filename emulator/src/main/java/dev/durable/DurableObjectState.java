package dev.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * What the runtime gives one Durable Object instance: its id, its storage, the clock, and the
 * calls that wait on the outside world. Passed to the object's constructor.
 *
 * <p>Events reach an object one at a time. While a handler waits on outgoing I/O made through
 * the runtime ({@link #fetch}, {@link #sleep}, a call through a stub) other events may run, as
 * in Cloudflare; {@link #blockConcurrencyWhile} keeps them out.
 */
public interface DurableObjectState {
  /** This object's id (with its name when it was made by name). */
  DurableObjectId id();

  /** This object's storage. */
  DurableObjectStorage storage();

  /**
   * This object's children ({@link Facets}): colocated objects with storage of their own, reached
   * only through this object. Fails inside a facet: facets do not nest.
   */
  Facets facets();

  /** The runtime's current time; the test kit's manual clock controls it. */
  Instant now();

  /**
   * Runs the callable with no other event allowed in, even while it waits on outgoing I/O, and
   * returns its result. If it takes longer than 30 seconds, or throws, the object is reset.
   */
  <T> T blockConcurrencyWhile(Callable<T> callable);

  /** Keeps the object from being evicted until the work completes. */
  void waitUntil(CompletionStage<?> work);

  /** An outbound HTTP request; other events may run while it is in flight. */
  Response fetch(Request request);

  /** Waits on the runtime's clock; other events may run meanwhile. */
  void sleep(Duration duration);

  /**
   * Accepts the server end of a {@link WebSocketPair} as a hibernatable socket: its messages
   * reach {@link DurableObject#webSocketMessage} and friends, and it stays open while the
   * instance is evicted. At most 10 tags of at most 256 characters each.
   */
  void acceptWebSocket(WebSocket ws, String... tags);

  /** The open WebSockets this object accepted. */
  List<WebSocket> getWebSockets();

  /** The open WebSockets this object accepted with the given tag. */
  List<WebSocket> getWebSockets(String tag);

  /** The tags a WebSocket was accepted with. */
  List<String> getTags(WebSocket ws);

  /**
   * Answers every incoming text message equal to {@code request} with {@code response} without
   * waking the object (e.g. "ping" / "pong"). It lasts while the runtime runs, across evictions.
   */
  void setWebSocketAutoResponse(String request, String response);

  /** Removes the auto-response. */
  void clearWebSocketAutoResponse();

  /** When the auto-response last answered on this socket, if ever. */
  Optional<Instant> getWebSocketAutoResponseTimestamp(WebSocket ws);
}
