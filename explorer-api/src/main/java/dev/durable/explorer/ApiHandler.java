package dev.durable.explorer;

/** The code behind one route. */
@FunctionalInterface
interface ApiHandler {
  /** Answers the call, or throws {@link ApiException} (or any exception, which becomes a 500). */
  Reply handle(ApiCall call) throws Exception;
}
