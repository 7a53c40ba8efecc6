package dev.durable.internal.runtime;


import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import java.util.concurrent.CompletionStage;

/** The {@link ExecutionContext} of worker events. */
final class WorkerContext implements ExecutionContext {
  private final LocalRuntime runtime;

  WorkerContext(LocalRuntime runtime) {
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
