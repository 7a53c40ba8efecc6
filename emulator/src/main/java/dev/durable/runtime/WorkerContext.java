package dev.durable.runtime;

import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import java.util.concurrent.CompletionStage;

/** The {@link ExecutionContext} of worker events. */
final class WorkerContext implements ExecutionContext {
  private final DurableRuntime runtime;

  WorkerContext(DurableRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void waitUntil(CompletionStage<?> work) {
    runtime.keepAliveUntil(work);
  }

  @Override
  public Response fetch(Request request) {
    return Events.withGateOpen(() -> runtime.outbound().fetch(request));
  }
}
