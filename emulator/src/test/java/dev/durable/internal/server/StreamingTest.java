package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed responses and requests over real HTTP: chunked bodies, server-sent events, cancellation. */
class StreamingTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private DurableRuntime runtime;
  private DevServer server;

  @BeforeEach
  void start() {
    StreamingTestApp.steps.clear();
    StreamingTestApp.cancelled.clear();
    StreamingTestApp.Streams.subscribers.clear();
    runtime = StreamingTestApp.runtime().build();
    server = DevServer.start(runtime, DevServer.Options.defaults().port(0));
  }

  @AfterEach
  void stop() {
    StreamingTestApp.steps.add("(end of test)");
    server.close();
    runtime.close();
  }

  @Test
  void aWorkersProducedBodyArrivesChunkByChunkWhileTheProducerStillRuns() throws Exception {
    assertArrivesStepByStep("/chunks?n=3");
  }

  @Test
  void anObjectsProducedBodyReachesTheClientThroughTheWorkerAsItIsWritten() throws Exception {
    assertArrivesStepByStep("/object/chunks/a?n=3");
  }

  private void assertArrivesStepByStep(String path) throws Exception {
    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-length")).as("a streamed body has no length").isEmpty();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      StreamingTestApp.steps.add("one");
      assertThat(lines.readLine()).as("the first chunk, read while the producer waits for the second").isEqualTo("one");
      StreamingTestApp.steps.add("two");
      assertThat(lines.readLine()).isEqualTo("two");
      StreamingTestApp.steps.add("three");
      assertThat(lines.readLine()).isEqualTo("three");
      assertThat(lines.readLine()).as("the end of the body once the producer returned").isNull();
    }
  }

  @Test
  void serverSentEventsArriveOneByOneAsTheObjectSendsThemAndEndWithDone() throws Exception {
    try (RawHttp client = RawHttp.open(server.url(), "GET", "/events/run", false)) {
      String head = client.readHead();
      assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream")
          .containsIgnoringCase("transfer-encoding: chunked");
      assertThat(send("/push/run?event=step&data=first")).isEqualTo("1");
      assertThat(client.readUntil("\n\n")).isEqualTo("id: 1\nevent: step\ndata: first\n\n");
      assertThat(send("/push/run?event=step&data=two%0Alines")).isEqualTo("1");
      assertThat(client.readUntil("\n\n")).isEqualTo("id: 2\nevent: step\ndata: two\ndata: lines\n\n");
      assertThat(send("/end/run")).isEqualTo("1");
      assertThat(client.readUntil("\n\n")).isEqualTo("event: done\ndata: \n\n");
      assertThat(client.readChunk()).as("the stream ends after close()").isNull();
    }
  }

  @Test
  void aLateSubscriberGetsTheStoredEventsReplayedFirst() throws Exception {
    send("/push/replay?event=step&data=a");
    send("/push/replay?event=step&data=b");
    try (RawHttp client = RawHttp.open(server.url(), "GET", "/events/replay", false)) {
      client.readHead();
      assertThat(client.readUntil("data: b\n\n")).isEqualTo("event: stored\ndata: a\n\nevent: stored\ndata: b\n\n");
    }
  }

  @Test
  void aClientThatGoesAwayMakesTheProducersNextWritesFail() throws Exception {
    RawHttp client = RawHttp.open(server.url(), "GET", "/chunks?n=100000", false);
    client.readHead();
    StreamingTestApp.steps.add("first");
    assertThat(client.readChunk()).isEqualTo("first\n");
    client.close();
    String told = null;
    for (int i = 0; i < 100_000 && told == null; i++) { // the first writes may still fit the socket's buffers
      StreamingTestApp.steps.add("more");
      told = StreamingTestApp.cancelled.poll(i < 100 ? 0 : 10, TimeUnit.MILLISECONDS);
    }
    assertThat(told).as("what the producer's write threw once the client went away")
        .isNotNull().contains("went away");
  }

  @Test
  void anEventStreamWhoseClientWentAwayIsClosedAndDroppedBySend() throws Exception {
    RawHttp client = RawHttp.open(server.url(), "GET", "/events/gone", false);
    client.readHead();
    send("/push/gone?event=step&data=seen");
    client.readUntil("\n\n");
    client.close();
    String sentTo = "1";
    for (int i = 0; i < 10_000 && !sentTo.equals("0"); i++) {
      sentTo = send("/push/gone?event=step&data=" + "x".repeat(1000));
    }
    assertThat(sentTo).as("subscribers left once the client's departure was noticed").isEqualTo("0");
  }

  @Test
  void aQuietEventStreamGetsACommentLineEachHeartbeat() throws Exception {
    server.close();
    server = DevServer.start(runtime,
        DevServer.Options.defaults().port(0).eventStreamHeartbeat(Duration.ofMillis(100)));
    try (RawHttp client = RawHttp.open(server.url(), "GET", "/events/quiet", false)) {
      client.readHead();
      assertThat(client.readUntil(":\n\n")).as("what came before the first comment line").contains(":");
      send("/push/quiet?event=step&data=one");
      assertThat(client.readUntil("\n\n")).as("events go on between heartbeats").contains("data: one");
    }
  }

  @Test
  void aClientThatLeftAQuietEventStreamIsNoticedAtTheNextHeartbeat() throws Exception {
    server.close();
    server = DevServer.start(runtime,
        DevServer.Options.defaults().port(0).eventStreamHeartbeat(Duration.ofMillis(100)));
    RawHttp client = RawHttp.open(server.url(), "GET", "/events/left", false);
    client.readHead();
    client.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!StreamingTestApp.Streams.subscribers.get("left").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(StreamingTestApp.Streams.subscribers.get("left"))
        .as("subscribers of a stream nothing was sent on, after its client left").isEmpty();
  }

  @Test
  void eventsSentByATurnWhoseCommitFailsNeverReachTheClient() throws Exception {
    try (RawHttp client = RawHttp.open(server.url(), "GET", "/events/gated", false)) {
      client.readHead();
      send("/push/gated?event=step&data=committed");
      assertThat(client.readUntil("\n\n")).contains("data: committed");
      ObjectTools.of(runtime.env().durableObject("STREAMS").getByName("gated"))
          .failNextCommit(runtime.env().durableObject("STREAMS").getByName("gated"), "the test's disk is full");
      HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/push/gated?event=step&data=lost"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(failed.statusCode()).isEqualTo(500);
      send("/push/gated?event=step&data=after");
      assertThat(client.readUntil("\n\n")).as("the event after the failed commit; the failed one never came")
          .isEqualTo("id: 2\nevent: step\ndata: after\n\n");
    }
  }

  @Test
  void aRequestBodyStreamsThroughAStubToTheObjectAsItArrives() throws Exception {
    try (RawHttp client = RawHttp.open(server.url(), "POST", "/upload/u", true)) {
      client.sendChunk("line 1\n");
      client.readHead();
      assertThat(client.readUntil("\n")).as("the object's answer to the first line, before the rest is sent")
          .isEqualTo("got line 1\n");
      client.sendChunk("line 2\n");
      assertThat(client.readUntil("\n")).isEqualTo("got line 2\n");
      client.sendChunk("");
      assertThat(client.readChunk()).isNull();
    }
  }

  @Test
  void aStreamedRequestReadWholeAndAsAStreamGivesTheSameBytes() throws Exception {
    byte[] body = new byte[3_000_000];
    new java.util.Random(3).nextBytes(body);
    String expected = body.length + " " + StreamingTestApp.sha256(body);
    assertThat(post("/digest", body)).isEqualTo(expected);
    assertThat(post("/whole", body)).isEqualTo(expected);
    assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/echo/e"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray()).body())
        .isEqualTo(body);
  }

  private String post(String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private String send(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s answered %s", path, r.body()).isEqualTo(200);
    return r.body();
  }
}
