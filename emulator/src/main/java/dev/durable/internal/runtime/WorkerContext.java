package dev.durable.internal.runtime;

import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.internal.gate.Events;
import dev.durable.runtime.OutboundFetch;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The {@link ExecutionContext} of worker events. */
final class WorkerContext implements ExecutionContext {
  private final Consumer<CompletionStage<?>> keepAlive;
  private final OutboundFetch outbound;

  /** Worker events keep the runtime open with {@code keepAlive} and fetch through {@code outbound}. */
  WorkerContext(Consumer<CompletionStage<?>> keepAlive, OutboundFetch outbound) {
    this.keepAlive = keepAlive;
    this.outbound = outbound;
  }

  @Override
  public void waitUntil(CompletionStage<?> work) {
    keepAlive.accept(work);
  }

  @Override
  public Response fetch(Request request) {
    return Events.withGateOpen(() -> outbound.fetch(request));
  }
}
