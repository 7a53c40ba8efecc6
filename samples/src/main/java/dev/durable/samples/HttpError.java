package dev.durable.samples;

import dev.durable.Response;
import java.util.Map;

/**
 * A request the samples refuse, with the status and a message that names what was wrong. Objects
 * throw it from their routing code and turn it into a response at the top of {@code fetch}:
 *
 * <pre>{@code
 * try {
 *   return route(request);
 * } catch (HttpError e) {
 *   return e.toResponse();
 * }
 * }</pre>
 */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String allow;

  private HttpError(int status, String message, String allow) {
    super(message);
    this.status = status;
    this.allow = allow;
  }

  /** 400: the request itself is malformed or breaks a rule; the message says which. */
  public static HttpError badRequest(String message) {
    return new HttpError(400, message, null);
  }

  /** 404: nothing lives at this address. */
  public static HttpError notFound(String message) {
    return new HttpError(404, message, null);
  }

  /** 405: the path exists but not with this method; {@code allow} lists the ones it takes. */
  public static HttpError methodNotAllowed(String method, String path, String allow) {
    return new HttpError(405, method + " is not allowed on " + path + "; use " + allow, allow);
  }

  /** 409: the request conflicts with the current state (a held lock, an active subscription). */
  public static HttpError conflict(String message) {
    return new HttpError(409, message, null);
  }

  /** Any other status, e.g. 402 for a declined payment or 502 for an unreachable provider. */
  public static HttpError of(int status, String message) {
    return new HttpError(status, message, null);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error as a JSON response: {@code {"error": "<message>"}}. */
  public Response toResponse() {
    Response.Builder b = Response.builder(status).json(Map.of("error", getMessage()));
    if (allow != null) {
      b.header("allow", allow);
    }
    return b.build();
  }
}
