package dev.durable.internal.gate;

/**
 * An object's side of its gates, as seen by the thread running one of its events: the runtime's
 * object handle implements it, so this package never imports the runtime.
 */
public interface Turn {
  /** Opens the input gate for outgoing I/O; commits the event's writes first. */
  void suspend(Events.Event event);

  /** Closes the input gate again after outgoing I/O, waiting behind events that came meanwhile. */
  void resume(Events.Event event);

  /** Holds output of the running event until its writes are committed. Gate held. */
  void holdOutput(Runnable action);

  /** Keeps the object in memory (not evicted) until the work completes, e.g. a streamed answer. */
  void keepAliveUntil(java.util.concurrent.CompletionStage<?> work);
}
