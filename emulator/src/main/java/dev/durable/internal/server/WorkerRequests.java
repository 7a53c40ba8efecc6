package dev.durable.internal.server;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the dev server hands a request to the worker, whichever route it came by: a failure in
 * the worker is logged with its stack trace and answered 500 with a short body, and every
 * request gets one log line (method, path, status, time, the objects the worker called).
 */
final class WorkerRequests {
  private static final Logger log = LoggerFactory.getLogger(DevServer.class);

  private WorkerRequests() {}

  /** Calls the worker with the request {@code request} builds; {@code started} is from {@link System#nanoTime()}. */
  static Response call(DurableRuntime runtime, String method, String path, long started, Supplier<Request> request) {
    // The names are only wanted for the log line: at warn, nobody collects them.
    List<String> objects = log.isInfoEnabled() ? new ArrayList<>(2) : null;
    Response response;
    try {
      response = runtime.fetch(request.get(), objects == null ? name -> {} : name -> {
        if (!objects.contains(name)) {
          objects.add(name);
        }
      });
    } catch (RuntimeException e) {
      log.error("{} {} failed in the worker", method, path, e);
      response = Response.status(500, "Internal Server Error: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    log(method, path, response, started, objects);
    return response;
  }

  /** The request's log line, at info. */
  static void log(String method, String path, Response response, long started, Collection<String> objects) {
    if (log.isInfoEnabled()) {
      long tenths = (System.nanoTime() - started + 50_000) / 100_000; // ms to one decimal, rounded
      log.info("{} {} {} {}.{} ms{}", method, path, response.status(), tenths / 10, tenths % 10,
          objects == null || objects.isEmpty() ? "" : " " + String.join(" ", objects));
    }
  }
}
