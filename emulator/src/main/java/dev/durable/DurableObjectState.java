package dev.durable;

import java.time.Duration;
import java.time.Instant;
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
}
