package dev.durable;

import dev.durable.internal.body.Body;
import dev.durable.internal.body.BodyProducer;
import dev.durable.internal.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A fetch-style HTTP response: status, headers and a body, either bytes or a stream sent as it
 * is produced.
 *
 * <pre>{@code
 * return Response.text("42");
 * return Response.json(Map.of("count", 42));
 * return Response.status(404, "no such room");
 * return Response.stream("text/plain", out -> { out.write(...); });   // chunked, as written
 * return Response.events(stream);                                    // server-sent events
 * }</pre>
 *
 * Status and headers never change. A streamed body ({@link #streamed()}) is read once, like
 * Cloudflare's {@code ReadableStream}: {@link #bodyStream()} hands it out, or {@link #body()},
 * {@link #text()} and {@link #json(Class)} read it whole and keep the bytes.
 */
public final class Response {
  /** Bytes a {@link BodyWriter} may have written before the client has read them: 64 KiB. */
  private static final int STREAM_BUFFER = 64 * 1024;

  private final int status;
  private final Headers headers;
  private final Body body;
  private final WebSocket webSocket;

  /**
   * Writes a streamed body. Each write reaches the client as soon as it can take it; a write
   * waits while the client is slow (at most 64 KiB wait unread), and fails with an
   * {@code IOException} once the client went away, which tells the writer to stop.
   */
  @FunctionalInterface
  public interface BodyWriter {
    /** Writes the body; returning ends it, throwing cuts it off (the client sees an incomplete body). */
    void writeTo(OutputStream out) throws Exception;
  }

  private Response(int status, Headers headers, Body body, WebSocket webSocket) {
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
    return new Response(101, Headers.builder().build(), Body.EMPTY, client);
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

  /**
   * 200 with a body {@code writer} writes as the client reads it, sent chunked. The writer runs
   * on a thread of its own once the response is sent, after the handler returned: inside an
   * object it must not use storage (push from the object's events with an {@link EventStream}).
   *
   * <pre>{@code
   * return Response.stream("text/plain;charset=UTF-8", out -> {
   *   for (String token : tokens) { out.write(token.getBytes(UTF_8)); }
   * });
   * }</pre>
   */
  public static Response stream(String contentType, BodyWriter writer) {
    return builder(200).header("content-type", contentType).stream(writer).build();
  }

  /** 200 {@code text/event-stream} sending the events of {@code events} as they are sent. */
  public static Response events(EventStream events) {
    if (events == null) {
      throw new IllegalArgumentException("Response.events() needs an EventStream, got null");
    }
    return new Response(200, Headers.builder().set("content-type", "text/event-stream").build(),
        Body.ofLazyStream(events::open), null);
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

  /**
   * A copy of the body bytes. A streamed body is read to its end first (waiting for its
   * producer) and kept; the first read hands over the array read, without a copy.
   */
  public byte[] body() {
    return body.bytesForCaller();
  }

  /** The body decoded as UTF-8 (a streamed body is read to its end first). */
  public String text() {
    return new String(body.bytes(), StandardCharsets.UTF_8);
  }

  /** The body read as JSON into the given type (a streamed body is read to its end first). */
  public <T> T json(Class<T> type) {
    return Json.fromBytes(body.bytes(), type);
  }

  /**
   * The body as a stream, to read as it arrives. A streamed body can be taken once (later calls
   * fail unless it was read whole); closing it early cancels the producer.
   *
   * @throws IllegalStateException when the streamed body was already taken
   */
  public InputStream bodyStream() {
    return body.stream();
  }

  /** Whether the body is a stream (sent as it is produced) rather than bytes in memory. */
  public boolean streamed() {
    return body.streamed();
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
    long length = body.length();
    return "Response " + status + " (" + (length < 0 ? "streamed" : length + " bytes") + ")";
  }

  /** Builds a {@link Response}. */
  public static final class Builder {
    private final int status;
    private Headers.Builder headers = Headers.builder();
    private Body body = Body.EMPTY;

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
      this.body = Body.ofBytes(text.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** A binary body (copied). */
    public Builder body(byte[] bytes) {
      this.body = Body.ofBytes(Arrays.copyOf(bytes, bytes.length));
      return this;
    }

    /**
     * A body streamed from {@code in} as the client reads it (sent chunked), closed once sent or
     * when the client goes away. A request's {@code bodyStream()} passes an upload straight
     * through.
     */
    public Builder body(InputStream in) {
      this.body = Body.ofStream(in);
      return this;
    }

    /** A body {@code writer} writes as the client reads it; see {@link Response#stream}. */
    public Builder stream(BodyWriter writer) {
      if (writer == null) {
        throw new IllegalArgumentException("stream() needs a BodyWriter, got null");
      }
      this.body = Body.ofLazyStream(() -> BodyProducer.start(writer::writeTo, STREAM_BUFFER));
      return this;
    }

    /** A JSON body with {@code content-type: application/json}. */
    public Builder json(Object value) {
      this.body = Body.ofBytes(Json.toBytes(value));
      headers.set("content-type", "application/json");
      return this;
    }

    /** The immutable response. */
    public Response build() {
      return new Response(status, headers.build(), body, null);
    }
  }
}
