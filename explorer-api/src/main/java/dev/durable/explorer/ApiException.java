package dev.durable.explorer;

/**
 * A request the explorer refuses or cannot serve: an HTTP status, an error code of the envelope
 * and a message that names what was wrong. The codes are listed in the OpenAPI document.
 */
class ApiException extends RuntimeException {
  /** An unexpected server error (HTTP 500), as in Cloudflare's API. */
  static final int INTERNAL = 10000;
  /** Invalid input, a validation failure or a SQL error (HTTP 400), as in Cloudflare's API. */
  static final int INVALID_INPUT = 10001;
  /** The object's own code threw while handling an RPC call or a fetch (HTTP 500). */
  static final int OBJECT_THREW = 10002;
  /** The Durable Object namespace does not exist (HTTP 404), as in Cloudflare's API. */
  static final int NAMESPACE_NOT_FOUND = 10066;
  /** A table, row, key or other part of an object does not exist (HTTP 404). */
  static final int NOT_FOUND = 10404;
  /** The explorer token is missing or wrong (HTTP 401). */
  static final int UNAUTHORIZED = 10401;
  /** The Host or Origin of the request is not allowed (HTTP 403). */
  static final int FORBIDDEN = 10403;
  /** The request body is larger than the explorer accepts (HTTP 413). */
  static final int TOO_LARGE = 10413;
  /** A request with a body that is not declared as JSON (HTTP 415). */
  static final int NOT_JSON = 10415;
  /** No route for that URI (HTTP 404), as in Cloudflare's API. */
  static final int NO_ROUTE = 7000;
  /** The route exists but not for this method (HTTP 405), as in Cloudflare's API. */
  static final int METHOD_NOT_ALLOWED = 7001;

  private final int status;
  private final int code;

  ApiException(int status, int code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static ApiException invalid(String message) {
    return new ApiException(400, INVALID_INPUT, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, NOT_FOUND, message);
  }

  int status() {
    return status;
  }

  int code() {
    return code;
  }
}
