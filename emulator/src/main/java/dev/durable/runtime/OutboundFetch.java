package dev.durable.runtime;

import dev.durable.Request;
import dev.durable.Response;

/** Sends the HTTP requests objects and workers make to the outside world. */
@FunctionalInterface
public interface OutboundFetch {
  /** Performs the request. */
  Response fetch(Request request) throws Exception;
}
