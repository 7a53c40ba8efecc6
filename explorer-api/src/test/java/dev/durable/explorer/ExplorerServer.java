package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.DurableObjectStub;
import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A runtime with a dev server on a free loopback port, and an HTTP client for its explorer. */
final class ExplorerServer implements AutoCloseable {
  static final String BASE = "/cdn-cgi/explorer/api";
  static final String NS = "/workers/durable_objects/namespaces";
  static final ObjectMapper JSON = new ObjectMapper();

  final DurableRuntime runtime;
  final DevServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ExplorerServer(DurableRuntime runtime, DevServer.Options options) {
    this.runtime = runtime;
    this.server = DevServer.start(runtime, options);
  }

  /** The usual test runtime: NOTES (Notes) and PLAIN (Plain) in script {@code app}. */
  static DurableRuntime.Builder runtime(Path state) {
    return DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(state)
        .bind("NOTES", TestObjects.Notes.class).bind("PLAIN", TestObjects.Plain.class);
  }

  static ExplorerServer start(Path state) {
    return start(runtime(state).build(), o -> o);
  }

  static ExplorerServer start(DurableRuntime runtime, UnaryOperator<DevServer.Options> options) {
    return new ExplorerServer(runtime, options.apply(DevServer.Options.defaults().port(0)));
  }

  /** A stub of a named object (making it never wakes the object). */
  DurableObjectStub stub(String binding, String name) {
    return runtime.namespace(binding).getByName(name);
  }

  /** The directory of a namespace's object files, as the on-disk layout has it. */
  static Path directory(DurableRuntime runtime, String binding) {
    return runtime.stateDirectory().resolve("do").resolve(runtime.namespace(binding).namespaceId());
  }

  String url(String path) {
    return server.url() + path;
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply put(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply patch(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  Reply delete(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .method("DELETE", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A request builder for a path under the explorer's base (or an absolute path if it starts with /cdn-cgi). */
  HttpRequest.Builder request(String path) {
    String full = path.startsWith("/cdn-cgi") ? path : BASE + path;
    return HttpRequest.newBuilder(URI.create(server.url() + full)).timeout(Duration.ofSeconds(60));
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
  }

  /** An HTTP answer. */
  record Reply(int status, HttpHeaders headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Expected a JSON body, got (" + status + "): " + text(), e);
      }
    }

    /** The envelope's result, after checking the answer is a success with this status. */
    JsonNode ok() {
      assertThat(status).as("status of %s", text()).isEqualTo(200);
      JsonNode j = json();
      assertThat(j.get("success").asBoolean()).as("success in %s", text()).isTrue();
      assertThat(j.get("errors").isEmpty()).as("errors in %s", text()).isTrue();
      assertThat(j.get("messages").isArray()).as("messages in %s", text()).isTrue();
      return j.get("result");
    }

    /** Checks the failure envelope: status, code and exact message. */
    Reply fails(int expectedStatus, int code, String message) {
      failsWith(expectedStatus, code);
      assertThat(json().at("/errors/0/message").asText()).as("error message of %s", text()).isEqualTo(message);
      return this;
    }

    /** Checks the failure envelope's status and code; returns the message. */
    String failsWith(int expectedStatus, int code) {
      assertThat(status).as("status of %s", text()).isEqualTo(expectedStatus);
      JsonNode j = json();
      assertThat(j.get("success").asBoolean()).as("success in %s", text()).isFalse();
      assertThat(j.get("result").isNull()).as("result in %s", text()).isTrue();
      assertThat(j.get("messages").isArray()).as("messages in %s", text()).isTrue();
      assertThat(j.get("errors").size()).as("errors in %s", text()).isEqualTo(1);
      assertThat(j.at("/errors/0/code").asInt()).as("error code in %s", text()).isEqualTo(code);
      return j.at("/errors/0/message").asText();
    }
  }
}
