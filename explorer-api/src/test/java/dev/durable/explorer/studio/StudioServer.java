package dev.durable.explorer.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A runtime with objects of {@link StudioObjects} (namespaces {@code app-Garden} and
 * {@code app-Shed}) behind a dev server on a free loopback port, and a client for its explorer
 * API, through which the tests seed state and check what the studio wrote.
 */
final class StudioServer implements AutoCloseable {
  static final String API = "/cdn-cgi/explorer/api";
  static final String NAMESPACES = API + "/workers/durable_objects/namespaces";
  static final ObjectMapper JSON = new ObjectMapper();

  final DurableRuntime runtime;
  final DevServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  StudioServer(Path state) {
    this(state, null);
  }

  /** A server whose explorer requires {@code token} (none when null). */
  StudioServer(Path state, String token) {
    this.runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(state)
        .bind("GARDEN", StudioObjects.Garden.class).bind("SHED", StudioObjects.Shed.class).build();
    DevServer.Options options = DevServer.Options.defaults().port(0);
    this.server = DevServer.start(runtime, token == null ? options : options.explorerToken(token));
  }

  String url(String path) {
    return server.url() + path;
  }

  /** The API path of a named object of the Garden namespace. */
  static String garden(String name) {
    return NAMESPACES + "/app-Garden/objects/name:" + name;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The explorer's result for a GET, failing with the answer when it is not a success. */
  JsonNode result(String path) {
    return resultOf(get(path));
  }

  /** Sends JSON and returns the explorer's result. */
  JsonNode write(String method, String path, String json) {
    return resultOf(send(HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))));
  }

  /** Runs SQL statements on a named object of the Garden namespace, in one transaction. */
  JsonNode sql(String name, String... statements) {
    StringBuilder queries = new StringBuilder();
    for (String s : statements) {
      queries.append(queries.isEmpty() ? "" : ",").append("{\"sql\":").append(quote(s)).append('}');
    }
    return write("POST", NAMESPACES + "/app-Garden/query",
        "{\"durable_object_name\":" + quote(name) + ",\"queries\":[" + queries + "]}");
  }

  private static JsonNode resultOf(HttpResponse<String> r) {
    try {
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !body.path("success").asBoolean()) {
        throw new AssertionError("The explorer answered " + r.statusCode() + ": " + r.body());
      }
      return body.get("result");
    } catch (IOException e) {
      throw new AssertionError("Expected the explorer's JSON envelope, got " + r.statusCode() + ": " + r.body(), e);
    }
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
  }
}
