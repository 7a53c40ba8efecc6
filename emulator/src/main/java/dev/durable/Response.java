package dev.durable;

import dev.durable.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An immutable fetch-style HTTP response: status, headers and a body of bytes.
 *
 * <pre>{@code
 * return Response.text("42");
 * return Response.json(Map.of("count", 42));
 * return Response.status(404, "no such room");
 * }</pre>
 */
public final class Response {
  private final int status;
  private final Headers headers;
  private final byte[] body;
  private final WebSocket webSocket;

  private Response(int status, Headers headers, byte[] body, WebSocket webSocket) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.webSocket = webSocket;
  }

  /**
   * Accepts a WebSocket upgrade: status 101 carrying the client end of a {@link WebSocketPair},
   * which the dev server connects to the network.
   */
  public static Response webSocket(WebSocket client) {
    if (client == null) {
      throw new IllegalArgumentException("Response.webSocket() needs the client end of a WebSocketPair");
    }
    return new Response(101, Headers.builder().build(), new byte[0], client);
  }

  /** The WebSocket of a 101 response made by {@link #webSocket(WebSocket)}. */
  public Optional<WebSocket> webSocket() {
    return Optional.ofNullable(webSocket);
  }

  /** 200 with a UTF-8 text body ({@code text/plain;charset=UTF-8}). */
  public static Response text(String text) {
    return builder(200).header("content-type", "text/plain;charset=UTF-8").body(text).build();
  }

  /** 200 with a JSON body serialized from a value. */
  public static Response json(Object value) {
    return builder(200).json(value).build();
  }

  /** A status with a plain text body. */
  public static Response status(int status, String text) {
    return builder(status).header("content-type", "text/plain;charset=UTF-8").body(text).build();
  }

  /** A status with no body. */
  public static Response status(int status) {
    return builder(status).build();
  }

  /** A builder for any status. */
  public static Builder builder(int status) {
    return new Builder(status);
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** All headers. */
  public Headers headers() {
    return headers;
  }

  /** The first value of a header, or empty. */
  public Optional<String> header(String name) {
    return headers.get(name);
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body read as JSON into the given type. */
  public <T> T json(Class<T> type) {
    return Json.fromBytes(body, type);
  }

  /** A builder starting from this response. */
  public Builder toBuilder() {
    Builder b = new Builder(status);
    b.headers = headers.toBuilder();
    b.body = body;
    return b;
  }

  @Override
  public String toString() {
    return "Response " + status + " (" + body.length + " bytes)";
  }

  /** Builds a {@link Response}. */
  public static final class Builder {
    private final int status;
    private Headers.Builder headers = Headers.builder();
    private byte[] body = new byte[0];

    private Builder(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("HTTP status must be within 100..599, got " + status);
      }
      this.status = status;
    }

    /** Adds a header value. */
    public Builder header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    /** Replaces all headers. */
    public Builder headers(Headers headers) {
      this.headers = headers.toBuilder();
      return this;
    }

    /** A UTF-8 text body. */
    public Builder body(String text) {
      this.body = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** A binary body (copied). */
    public Builder body(byte[] bytes) {
      this.body = Arrays.copyOf(bytes, bytes.length);
      return this;
    }

    /** A JSON body with {@code content-type: application/json}. */
    public Builder json(Object value) {
      this.body = Json.toBytes(value);
      headers.set("content-type", "application/json");
      return this;
    }

    /** The immutable response. */
    public Response build() {
      return new Response(status, headers.build(), body, null);
    }
  }
}
