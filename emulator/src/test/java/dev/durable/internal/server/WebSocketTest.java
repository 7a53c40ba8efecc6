package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.runtime.DurableRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {
  private DurableRuntime runtime;
  private DevServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    runtime = ServerTestApp.runtime(null).build();
    server = DevServer.start(runtime, DevServer.Options.defaults().port(0));
  }

  @AfterEach
  void stop() {
    server.close();
    runtime.close();
  }

  @Test
  void messagesAreBroadcastToTheRoomAndTagsAddressOneUser() throws Exception {
    Client alice = connect("lobby", "alice");
    Client bob = connect("lobby", "bob");
    alice.send("hello");
    assertThat(alice.next()).isEqualTo("alice: hello");
    assertThat(bob.next()).isEqualTo("alice: hello");
    bob.send("to:alice:psst");
    assertThat(alice.next()).isEqualTo("bob> psst");
    bob.send("after");
    assertThat(bob.next()).isEqualTo("bob: after");
    assertThat(alice.next()).isEqualTo("bob: after");
  }

  @Test
  void autoResponseAnswersWithoutWakingAnEvictedObject() throws Exception {
    Client alice = connect("quiet", "alice");
    runtime.evictAll();
    int before = ServerTestApp.Room.constructed.get();
    alice.send("ping");
    assertThat(alice.next()).isEqualTo("pong");
    assertThat(ServerTestApp.Room.constructed.get()).isEqualTo(before);
  }

  @Test
  void theAttachmentAndTheSocketSurviveEviction() throws Exception {
    Client alice = connect("evicting", "alice");
    runtime.evictAll();
    int before = ServerTestApp.Room.constructed.get();
    alice.send("still here");
    assertThat(alice.next()).isEqualTo("alice: still here");
    assertThat(ServerTestApp.Room.constructed.get()).isEqualTo(before + 1);
  }

  @Test
  void binaryMessagesRoundTrip() throws Exception {
    Client alice = connect("bin", "alice");
    byte[] data = {0, 1, 2, (byte) 0xff, 42};
    alice.ws.sendBinary(ByteBuffer.wrap(data), true).join();
    assertThat(alice.nextBinary()).containsExactly(data);
  }

  @Test
  void theClientsCloseCodeReachesWebSocketClose() throws Exception {
    Client alice = connect("closing", "alice");
    alice.ws.sendClose(4001, "leaving").join();
    ObjectHandle room = ((ObjectNamespace) runtime.namespace("ROOM")).handle(((ObjectNamespace) runtime.namespace("ROOM")).idFromName("closing"));
    Object stored = null;
    for (long deadline = System.nanoTime() + 5_000_000_000L; stored == null && System.nanoTime() < deadline; ) {
      stored = room.run(obj -> room.storage().get("closed:alice", String.class).orElse(null), false);
      Thread.sleep(5);
    }
    assertThat(stored).isEqualTo("4001 leaving");
  }

  @Test
  void theObjectClosingTheSocketGivesTheClientItsCodeAndReason() throws Exception {
    Client alice = connect("bye", "alice");
    alice.send("bye");
    assertThat(alice.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4000 bye alice");
  }

  @Test
  void aOneMebibyteMessageIsDelivered() throws Exception {
    Client alice = connect("big", "alice");
    String large = "x".repeat(1024 * 1024);
    alice.send(large);
    assertThat(alice.next()).isEqualTo("alice: " + large);
  }

  @Test
  void aClientThatNeverReadsIsClosedWith1013AndTheRoomGoesOn() throws Exception {
    URI url = URI.create(server.url());
    try (java.net.Socket sloth = new java.net.Socket(url.getHost(), url.getPort())) {
      // A real handshake, then never a byte read: what it is sent piles up in the server.
      sloth.setReceiveBufferSize(4096);
      sloth.getOutputStream().write(("GET /room/slow?user=sloth HTTP/1.1\r\nHost: " + url.getAuthority()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      sloth.getOutputStream().flush();
      Client alice = connect("slow", "alice");
      String large = "x".repeat(1024 * 1024);
      String closed = null;
      for (int i = 0; i < 200 && closed == null; i++) {
        alice.send(large);
        assertThat(alice.next()).as("alice's broadcast %d reaches her", i).isEqualTo("alice: " + large);
        closed = closedAs("slow", "sloth");
      }
      for (long deadline = System.nanoTime() + 10_000_000_000L; closed == null && System.nanoTime() < deadline; ) {
        Thread.sleep(10);
        closed = closedAs("slow", "sloth");
      }
      assertThat(closed).as("the object hears that the slow client was closed")
          .isEqualTo("1013 The client did not read what was sent to it");
      alice.send("still serving");
      assertThat(alice.next()).isEqualTo("alice: still serving");
    }
  }

  /** What the room's webSocketClose recorded for a user, or null. */
  private String closedAs(String room, String user) {
    var stub = runtime.namespace("ROOM").getByName(room);
    return runtime.tools().visit(stub, dev.durable.runtime.ObjectTools.Access.READ,
        view -> view.storage().get("closed:" + user, String.class).orElse(null));
  }

  @Test
  void stoppingClosesEverySocketWith1001() throws Exception {
    Client alice = connect("stopping", "alice");
    Client bob = connect("stopping", "bob");
    runtime.closeWebSockets(1001, "The emulator is shutting down");
    assertThat(alice.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1001 The emulator is shutting down");
    assertThat(bob.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1001 The emulator is shutting down");
  }

  @Test
  void anUpgradeTheObjectRefusesGetsItsStatus() {
    CompletableFuture<WebSocket> f = http.newWebSocketBuilder()
        .buildAsync(URI.create(server.url().replace("http", "ws") + "/room/x"), new Client(null));
    assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
        .havingRootCause().withMessageContaining("status code 400");
  }

  private Client connect(String room, String user) {
    Client c = new Client(null);
    c.ws = http.newWebSocketBuilder()
        .buildAsync(URI.create(server.url().replace("http", "ws") + "/room/" + room + "?user=" + user), c)
        .join();
    return c;
  }

  /** A test client collecting what it receives. */
  static final class Client implements WebSocket.Listener {
    WebSocket ws;
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();

    Client(WebSocket ws) {
      this.ws = ws;
    }

    void send(String message) {
      ws.sendText(message, true).join();
    }

    String next() throws InterruptedException {
      Object o = received.poll(5, TimeUnit.SECONDS);
      assertThat(o).as("a text message within 5 s").isInstanceOf(String.class);
      return (String) o;
    }

    byte[] nextBinary() throws InterruptedException {
      Object o = received.poll(5, TimeUnit.SECONDS);
      assertThat(o).as("a binary message within 5 s").isInstanceOf(byte[].class);
      return (byte[]) o;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      received.add(b);
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
