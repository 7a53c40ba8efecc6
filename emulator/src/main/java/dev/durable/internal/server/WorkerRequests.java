package dev.durable.internal.server;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.internal.body.BodyTooLargeException;
import dev.durable.runtime.DurableRuntime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
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
      response = failure(method, path, e);
    }
    log(method, path, response, started, objects);
    return response;
  }

  /**
   * What a failure of the worker is answered: 413 when reading the request body went over a
   * limit, the status Jetty gave a malformed body (400), else 500.
   */
  private static Response failure(String method, String path, RuntimeException e) {
    BodyTooLargeException tooLarge = BodyTooLargeException.findIn(e);
    if (tooLarge != null) {
      log.warn("{} {}: {}", method, path, tooLarge.getMessage());
      return Response.status(413, "Content Too Large: " + tooLarge.getMessage());
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
        log.warn("{} {}: the request body could not be read: {}", method, path, t.getMessage());
        return Response.status(bad.getCode(), "Bad request body: " + bad.getReason());
      }
    }
    log.error("{} {} failed in the worker", method, path, e);
    return Response.status(500, "Internal Server Error: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
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
