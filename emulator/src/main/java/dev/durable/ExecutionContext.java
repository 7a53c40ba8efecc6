package dev.durable;

import java.util.concurrent.CompletionStage;

/** What the runtime gives a stateless {@link Worker} per event. */
public interface ExecutionContext {
  /** Keeps the runtime from shutting down until the work completes. */
  void waitUntil(CompletionStage<?> work);

  /** An outbound HTTP request. */
  Response fetch(Request request);
}
