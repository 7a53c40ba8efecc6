package dev.durable.testkit;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.runtime.DurableRuntime;

/**
 * The test's way into the worker entry, in-process (Cloudflare's {@code SELF}): requests reach its
 * {@code fetch} as they would over HTTP, with the test's bindings and fetch mock.
 *
 * <pre>{@code
 * Response r = dos.worker().fetch(Request.get("/counter/a"));
 * }</pre>
 */
public final class WorkerClient {
  private final DurableRuntime runtime;

  WorkerClient(DurableRuntime runtime) {
    this.runtime = runtime;
  }

  /** Sends a request to the worker's {@code fetch}; a URL starting with {@code /} is on localhost. */
  public Response fetch(Request request) {
    if (request == null) {
      throw new IllegalArgumentException("fetch() needs a request, got null");
    }
    return runtime.fetch(request);
  }

  /** Sends a GET request for the URL to the worker's {@code fetch}. */
  public Response fetch(String url) {
    return fetch(Request.get(url));
  }

  /** Runs the worker's {@code scheduled} handler as a cron trigger would. */
  public void scheduled(ScheduledEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("scheduled() needs an event, got null");
    }
    runtime.scheduled(event);
  }
}
