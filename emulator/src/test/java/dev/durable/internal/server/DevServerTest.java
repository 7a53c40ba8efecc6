package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path state;

  @Test
  void aRequestGoesThroughTheWorkerToTheObjectAndItsStorage() throws Exception {
    try (Running s = new Running(state)) {
      assertThat(s.send("POST", "/counter/a").body()).isEqualTo("1");
      assertThat(s.send("POST", "/counter/a").body()).isEqualTo("2");
      assertThat(s.send("GET", "/counter/b").body()).isEqualTo("0");
    }
  }

  @Test
  void stateSurvivesARestartOnTheSameDirectory() throws Exception {
    try (Running s = new Running(state)) {
      s.send("POST", "/counter/kept");
      s.send("POST", "/counter/kept");
    }
    try (Running s = new Running(state)) {
      assertThat(s.send("GET", "/counter/kept").body()).isEqualTo("2");
    }
  }

  @Test
  void binaryBodiesRoundTripWithTheirHeaders() throws Exception {
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    try (Running s = new Running(state)) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/echo/x"))
          .header("content-type", "application/x-test")
          .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/x-test");
      assertThat(r.headers().firstValue("x-echo-length")).hasValue("300000");
      assertThat(r.body()).isEqualTo(body);
    }
  }

  @Test
  void aWorkerThatThrowsGets500AndTheServerKeepsServing() throws Exception {
    try (Running s = new Running(state)) {
      HttpResponse<String> r = s.send("GET", "/boom");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("IllegalStateException").contains("the worker blew up");
      assertThat(s.send("POST", "/counter/after").body()).isEqualTo("1");
    }
  }

  @Test
  void anObjectWhoseConstructorThrowsGets500NamingTheClass() throws Exception {
    try (Running s = new Running(state)) {
      HttpResponse<String> r = s.send("GET", "/broken");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("Broken").contains("constructor refuses");
      assertThat(s.send("POST", "/counter/after").body()).isEqualTo("1");
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    DurableRuntime runtime = ServerTestApp.runtime(state).build();
    try (runtime; DevServer server = DevServer.start(runtime,
        new DevServer.Options("127.0.0.1", 0, 1024, null))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/echo/x"))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
    }
  }

  @Test
  void aBodyOfUnknownLengthIsReadUpToTheLimitAndOneOverItIsRefusedWith413() throws Exception {
    DurableRuntime runtime = ServerTestApp.runtime(state).build();
    try (runtime; DevServer server = DevServer.start(runtime,
        new DevServer.Options("127.0.0.1", 0, 1024, null))) {
      HttpResponse<byte[]> fits = http.send(chunked(server.url() + "/echo/x", new byte[1024]),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(fits.statusCode()).isEqualTo(200);
      assertThat(fits.body()).hasSize(1024);
      HttpResponse<String> tooLarge = http.send(chunked(server.url() + "/echo/x", new byte[1025]),
          HttpResponse.BodyHandlers.ofString());
      assertThat(tooLarge.statusCode()).isEqualTo(413);
    }
  }

  @Test
  void theWorkerSeesTheRawPathQueryAndEveryValueOfAHeader() throws Exception {
    try (Running s = new Running(state)) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create(s.server.url() + "/inspect/a%20b/%2F?q=1&r=%26"))
          .header("x-test", "one").header("x-test", "two").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("GET " + s.server.url() + "/inspect/a%20b/%2F?q=1&r=%26 x-test=[one, two] body=0");
    }
  }

  @Test
  void headGetsTheWorkersStatusAndHeadersWithoutABody() throws Exception {
    try (Running s = new Running(state)) {
      s.send("POST", "/counter/h");
      HttpResponse<String> r = s.send("HEAD", "/counter/h");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-length")).hasValue("1");
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(r.body()).isEmpty();
    }
  }

  /** A PUT whose body is streamed without a content length (chunked). */
  private static HttpRequest chunked(String url, byte[] body) {
    return HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
  }

  @Test
  void malformedHttpGets400AndTheServerKeepsServing() throws Exception {
    try (Running s = new Running(state)) {
      try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
        OutputStream out = socket.getOutputStream();
        out.write("GET /counter/x HTTP/1.1\r\nHost: localhost\r\nthis is no header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(status).isEqualTo("HTTP/1.1 400");
      }
      assertThat(s.send("POST", "/counter/after").body()).isEqualTo("1");
    }
  }

  @Test
  void closingLetsRequestsInFlightFinishAndCommit() throws Exception {
    Running s = new Running(state);
    var inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(s.server.url() + "/slow/700")).build(),
        HttpResponse.BodyHandlers.ofString());
    ServerTestApp.slowStarted.acquire();
    s.close();
    assertThat(inFlight.get().statusCode()).isEqualTo(200);
    assertThat(inFlight.get().body()).isEqualTo("1");
    try (Running again = new Running(state)) {
      assertThat(again.send("GET", "/counter/slow").body()).isEqualTo("1");
    }
  }

  @Test
  void theScheduledHandlerRunsByHandAsInWrangler() throws Exception {
    try (Running s = new Running(state)) {
      HttpResponse<String> r = s.send("GET", "/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(ServerTestApp.scheduledCrons).contains("*/5 * * * *");
    }
  }

  @Test
  void unknownEmulatorPathsAre404AndNeverReachTheWorker() throws Exception {
    try (Running s = new Running(state)) {
      assertThat(s.send("GET", "/cdn-cgi/nothing-here").statusCode()).isEqualTo(404);
    }
  }

  /** A runtime and server on a free port. */
  private final class Running implements AutoCloseable {
    final DurableRuntime runtime;
    final DevServer server;

    Running(Path dir) {
      runtime = ServerTestApp.runtime(dir).build();
      server = DevServer.start(runtime, DevServer.Options.defaults().port(0));
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
      return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      server.close();
      runtime.close();
    }
  }
}
