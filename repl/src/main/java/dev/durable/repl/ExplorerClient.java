package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The REPL's only way to the emulator: HTTP requests to its explorer API
 * ({@code /cdn-cgi/explorer/api}), answered in Cloudflare's envelope. A failure envelope becomes
 * an {@link ExplorerException} carrying the server's message; a server that does not answer
 * becomes a {@link NoEmulatorException}.
 */
final class ExplorerClient {
  /** The explorer's base path on the emulator. */
  static final String BASE = "/cdn-cgi/explorer/api";
  /** The content type of an object's answer streamed through the explorer. */
  static final String STREAM_TYPE = "application/vnd.durable.fetch-stream";
  static final String NAMESPACES = "/workers/durable_objects/namespaces";
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JSON.getNodeFactory();

  /** An answer of the explorer: the envelope's {@code result} and, on collections, {@code result_info}. */
  record Answer(JsonNode result, JsonNode info) {}

  private final String url;
  private final String token;
  private final HttpClient http;

  /**
   * @param url the emulator's base URL, e.g. {@code http://127.0.0.1:8787}
   * @param token the explorer token to send, or null
   */
  ExplorerClient(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The emulator's base URL, as given. */
  String url() {
    return url;
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  Answer put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  Answer delete(String path) {
    return send("DELETE", path, null);
  }

  /** Where a streamed fetch answer goes as it arrives. */
  interface StreamSink {
    /** The object's status and headers ({@code status}, {@code headers}). */
    void head(JsonNode head);

    /** The next part of the body, as text. */
    void text(String part);
  }

  /**
   * POSTs a fetch that asks for a streamed answer ({@code "stream": true}). When the object
   * streams, its head and then each part go to {@code sink} as they arrive, and null is answered;
   * otherwise the usual answer (the whole body in JSON).
   */
  Answer postStreaming(String path, JsonNode body, StreamSink sink) {
    HttpRequest request = request(path, "POST", body).build();
    HttpResponse<InputStream> response =
        exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (!response.headers().firstValue("content-type").orElse("").startsWith(STREAM_TYPE)) {
        return read(request.uri(), response.statusCode(), in.readAllBytes());
      }
      sink.head(JSON.readTree(headLine(in)).path("head"));
      Reader text = new InputStreamReader(in, StandardCharsets.UTF_8);
      char[] part = new char[4096];
      for (int n; (n = text.read(part)) >= 0; ) {
        sink.text(new String(part, 0, n));
      }
      return null;
    } catch (IOException e) {
      throw new ExplorerException("The streamed answer from " + url + " broke off: " + e.getMessage());
    }
  }

  private static byte[] headLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("the answer ended inside its head line");
      }
      line.write(b);
    }
    return line.toByteArray();
  }

  /**
   * Sends one request to a path under the explorer's base. Waits for the answer; an interrupt of
   * the waiting thread (Ctrl-C at the console) abandons it with a {@link CancelledException}.
   */
  Answer send(String method, String path, JsonNode body) {
    HttpRequest request = request(path, method, body).timeout(Duration.ofMinutes(5)).build();
    HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    return read(request.uri(), response.statusCode(), response.body());
  }

  /** A request to a path under the explorer's base, with the token; POST and PUT send JSON. */
  private HttpRequest.Builder request(String path, String method, JsonNode body) {
    URI uri;
    try {
      uri = URI.create(url + BASE + path);
    } catch (IllegalArgumentException e) {
      throw new ExplorerException("Not a valid URL: " + url + BASE + path + " (" + e.getMessage() + ")");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null || method.equals("POST") || method.equals("PUT")) {
      request.header("Content-Type", "application/json");
    }
    return request;
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    CompletableFuture<HttpResponse<T>> pending = http.sendAsync(request, handler);
    try {
      return pending.get();
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw new CancelledException();
    } catch (CancellationException e) {
      throw new CancelledException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (isUnreachable(cause)) {
        throw new NoEmulatorException(url);
      }
      throw new ExplorerException("The request to " + url + " failed: "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }
  }

  private static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException
          || c instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  private Answer read(URI uri, int status, byte[] body) {
    JsonNode envelope;
    try {
      envelope = JSON.readTree(body);
    } catch (IOException e) {
      envelope = null;
    }
    if (envelope == null || !envelope.isObject() || !envelope.has("success")) {
      throw new ExplorerException("The server at " + url + " answered " + status
          + " without the explorer's envelope to " + uri.getPath() + "; is it a durable emulator?");
    }
    if (!envelope.get("success").asBoolean(false)) {
      JsonNode error = envelope.path("errors").path(0);
      String message = error.path("message").asText("");
      if (message.isEmpty()) {
        message = "The explorer answered " + status + " without a message";
      }
      if (status == 401) {
        message += ". Give the REPL the token with --explorer-token or DURABLE_EXPLORER_TOKEN.";
      }
      throw new ExplorerException(status, error.path("code").asInt(0), message);
    }
    JsonNode result = envelope.get("result");
    return new Answer(result == null ? NullNode.getInstance() : result, envelope.get("result_info"));
  }

  /** A path segment percent-encoded: {@code /} and spaces included, {@code +} as {@code %2B}. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter value percent-encoded. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** What the explorer answered instead of a result, or why no answer came. */
  static class ExplorerException extends ReplException {
    private final int status;
    private final int code;

    ExplorerException(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    ExplorerException(String message) {
      this(0, 0, message);
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
      return status;
    }

    /** The envelope's error code, or 0. */
    int code() {
      return code;
    }
  }

  /** Nothing listens at the URL. */
  static final class NoEmulatorException extends ExplorerException {
    NoEmulatorException(String url) {
      super("No emulator answers at " + url + ". Start one with './durable dev' (or give its"
          + " address with --url, or run 'durable repl --embedded --config durable.jsonc').");
    }
  }

  /** The user gave up waiting (Ctrl-C). */
  static final class CancelledException extends ReplException {
    CancelledException() {
      super("Cancelled; the emulator may still finish the request.");
    }
  }
}
