package dev.durable;

import dev.durable.internal.body.Body;
import dev.durable.internal.json.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A fetch-style HTTP request: method, absolute URL, headers and a body, either bytes or a stream
 * read as it arrives.
 *
 * <pre>{@code
 * Request req = Request.post("http://localhost/counter/a", "{\"by\":2}");
 * long by = req.json(Args.class).by();
 * try (InputStream upload = req.bodyStream()) { ... }   // a large upload, as it arrives
 * }</pre>
 *
 * A URL that starts with {@code /} is taken relative to {@code http://localhost}. Method, URL and
 * headers never change. The dev server hands the worker the body as a stream: {@link #bodyStream()}
 * reads it as it arrives (a stub passes it to an object unread), or {@link #body()},
 * {@link #text()} and {@link #json(Class)} read it whole once and keep the bytes.
 */
public final class Request {
  private final String method;
  private final URI url;
  private final Headers headers;
  private final Body body;

  private Request(String method, URI url, Headers headers, Body body) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
  }

  /** A GET request. */
  public static Request get(String url) {
    return builder("GET", url).build();
  }

  /** A POST request with a UTF-8 text body. */
  public static Request post(String url, String body) {
    return builder("POST", url).body(body).build();
  }

  /** A builder for any method. */
  public static Builder builder(String method, String url) {
    return new Builder(method, url);
  }

  /** The method in upper case, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The absolute URL. */
  public URI url() {
    return url;
  }

  /** The URL's path, never empty ({@code /} at least). */
  public String path() {
    String p = url.getRawPath();
    return p == null || p.isEmpty() ? "/" : URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The first value of a query parameter, decoded; {@code null} when absent. */
  public String query(String name) {
    String raw = url.getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
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
   * A copy of the body bytes (empty when there is none). A streamed body is read whole first and
   * kept; the first read hands over the array read, without a copy, so a large upload is held
   * once.
   *
   * @throws java.io.UncheckedIOException when reading the stream fails, or the body is larger
   *     than the server's limit or than the heap can hold (the dev server answers 413)
   */
  public byte[] body() {
    return body.bytesForCaller();
  }

  /**
   * The body's length in bytes: the declared {@code Content-Length} of a streamed body, or, when
   * none was declared, the length read whole.
   */
  public int bodyLength() {
    long length = body.length();
    return length >= 0 && length <= Integer.MAX_VALUE ? (int) length : body.bytes().length;
  }

  /** The body decoded as UTF-8 (a streamed body is read whole first). */
  public String text() {
    return new String(body.bytes(), StandardCharsets.UTF_8);
  }

  /** The body read as JSON into the given type; a clear error when it is not. */
  public <T> T json(Class<T> type) {
    return Json.fromBytes(body.bytes(), type);
  }

  /**
   * The body as a stream, to read as it arrives, without holding it in memory. A streamed body
   * can be taken once (later calls fail unless it was read whole).
   *
   * @throws IllegalStateException when the streamed body was already taken
   */
  public InputStream bodyStream() {
    return body.stream();
  }

  /** Whether the body is a stream (read once, as it arrives) rather than bytes in memory. */
  public boolean streamed() {
    return body.streamed();
  }

  /** Whether this is a WebSocket upgrade request ({@code Upgrade: websocket}). */
  public boolean isWebSocketUpgrade() {
    return header("upgrade").map(v -> v.equalsIgnoreCase("websocket")).orElse(false);
  }

  /** A builder starting from this request, e.g. to change the URL before forwarding. */
  public Builder toBuilder() {
    Builder b = new Builder(method, url);
    b.headers = headers.toBuilder();
    b.body = body;
    return b;
  }

  @Override
  public String toString() {
    return method + " " + url;
  }

  /** Builds a {@link Request}. */
  public static final class Builder {
    private final String method;
    private URI url;
    private Headers.Builder headers = Headers.builder();
    private Body body = Body.EMPTY;

    private Builder(String method, String url) {
      this(checkedMethod(method), parseUrl(url));
    }

    private Builder(String method, URI url) {
      this.method = method;
      this.url = url;
    }

    /** Replaces the URL. */
    public Builder url(String url) {
      this.url = parseUrl(url);
      return this;
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

    /** A body streamed from {@code in}, read once by whoever handles the request. */
    public Builder body(InputStream in) {
      this.body = Body.ofStream(in);
      return this;
    }

    /** A JSON body serialized from a value, with {@code content-type: application/json}. */
    public Builder json(Object value) {
      this.body = Body.ofBytes(Json.toBytes(value));
      headers.set("content-type", "application/json");
      return this;
    }

    /** The immutable request. */
    public Request build() {
      return new Request(method, url, headers.build(), body);
    }

    private static String checkedMethod(String method) {
      if (method == null || method.isEmpty() || !method.chars().allMatch(Character::isLetter)) {
        throw new IllegalArgumentException("Invalid HTTP method: '" + method + "'");
      }
      return method.toUpperCase(Locale.ROOT);
    }

    private static URI parseUrl(String url) {
      if (url == null || url.isEmpty()) {
        throw new IllegalArgumentException("Request URL must not be empty");
      }
      String absolute = url.startsWith("/") ? "http://localhost" + url : url;
      URI uri;
      try {
        uri = URI.create(absolute);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid request URL: '" + url + "': " + e.getMessage(), e);
      }
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException("Request URL must be absolute (scheme and host) or start"
            + " with '/': '" + url + "'");
      }
      return uri;
    }
  }
}
