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

  /**
   * Opens a WebSocket through the worker: sends it a GET upgrade request for the URL (a path
   * starting with {@code /} is on localhost) and connects to the socket it answers with.
   */
  public TestWebSocket connectWebSocket(String url) {
    return TestWebSocket.from(fetch(upgrade(url)), "the worker at " + url);
  }

  static Request upgrade(String url) {
    return Request.builder("GET", url).header("upgrade", "websocket").header("connection", "Upgrade").build();
  }

  /** Runs the worker's {@code scheduled} handler as a cron trigger would. */
  public void scheduled(ScheduledEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("scheduled() needs an event, got null");
    }
    runtime.scheduled(event);
  }
}
