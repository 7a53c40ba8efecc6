package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * One request to a route: its decoded path parameters, query parameters and JSON body (read once,
 * at most {@code maxBodyBytes}, then parsed strictly).
 */
final class ApiCall {
  private final Context ctx;
  private final Map<String, String> pathParameters;
  private final long maxBodyBytes;
  private JsonNode body;

  ApiCall(Context ctx, Map<String, String> pathParameters, long maxBodyBytes) {
    this.ctx = ctx;
    this.pathParameters = pathParameters;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A path parameter, decoded. */
  String path(String name) {
    String v = pathParameters.get(name);
    if (v == null) {
      throw new IllegalStateException("Route has no path parameter '" + name + "'");
    }
    return v;
  }

  /** A query parameter, decoded, or null when absent. */
  String query(String name) {
    return ctx.queryParam(name);
  }

  /** A query parameter as an integer within bounds, or the default when absent. */
  int queryInt(String name, int defaultValue, int min, int max) {
    String raw = query(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name + ": Expected an integer, received '" + raw + "'");
    }
    if (v < min) {
      throw ApiException.invalid(name + ": Number must be greater than or equal to " + min);
    }
    if (v > max) {
      throw ApiException.invalid(name + ": Number must be less than or equal to " + max);
    }
    return (int) v;
  }

  /** The JSON body; a 400 when it is empty or malformed, a 413 when it is too large. */
  JsonNode body() {
    if (body == null) {
      body = Envelope.parseBody(rawBody());
    }
    return body;
  }

  /** The JSON body as an object, or a 400 that says what it was instead. */
  JsonNode bodyObject() {
    JsonNode b = body();
    if (!b.isObject()) {
      throw ApiException.invalid("Request body must be a JSON object, got " + SqlValues.describe(b));
    }
    return b;
  }

  /**
   * Reads and drops the body (the server's own cap bounds it), so a client still sending a body
   * that is too large receives the 413 instead of a reset connection.
   */
  void discardBody() {
    try (InputStream in = ctx.req().getInputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client went away: nobody to answer.
    }
  }

  /** Whether the request carries a body at all. */
  boolean hasBody() {
    long length = ctx.req().getContentLengthLong();
    return length > 0 || (length < 0 && ctx.header("Transfer-Encoding") != null);
  }

  private byte[] rawBody() {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        in.transferTo(OutputStream.nullOutputStream());
        throw tooLarge(maxBodyBytes);
      }
      return bytes;
    } catch (IOException e) {
      // A body that breaks its own framing (a garbage chunk size, a short Content-Length): the
      // request is malformed, or its client is gone and reads no answer.
      throw ApiException.invalid("Could not read the request body: " + e.getMessage());
    }
  }

  static ApiException tooLarge(long maxBodyBytes) {
    return new ApiException(413, ApiException.TOO_LARGE, "Request body is larger than the explorer"
        + " accepts (" + maxBodyBytes + " bytes)");
  }
}
