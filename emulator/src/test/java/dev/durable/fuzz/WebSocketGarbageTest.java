package dev.durable.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.ServerTestApp;
import dev.durable.runtime.DurableRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed WebSocket frames on a raw socket, after a real upgrade to a chat room object: the
 * server closes that connection with the code RFC 6455 gives (1002 protocol error, 1007 bad
 * UTF-8, 1009 too big) or drops it, never passes the garbage to the object, and keeps serving
 * everyone else; the room's storage is untouched.
 */
class WebSocketGarbageTest {
  private static final int MIB = 1024 * 1024;

  private DurableRuntime runtime;
  private DevServer server;
  private final Random random = new Random(1009);

  @BeforeEach
  void start() {
    runtime = DurableRuntime.builder().worker(new ServerTestApp()).idleTimeout(Duration.ZERO)
        .bind("COUNTER", ServerTestApp.Counter.class).bind("ROOM", ServerTestApp.Room.class).build();
    server = DevServer.start(runtime, DevServer.Options.defaults().port(0));
  }

  @AfterEach
  void stop() {
    server.close();
    runtime.close();
  }

  /** One malformed thing to send after the upgrade, and the close codes that answer it. */
  private record Garbage(String what, byte[] bytes, List<Integer> closeCodes) {}

  private List<Garbage> garbage() {
    List<Garbage> g = new ArrayList<>();
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    for (int opcode : new int[] {0x3, 0x4, 0x7, 0xB, 0xF}) {
      g.add(new Garbage("reserved opcode 0x" + Integer.toHexString(opcode), frame(true, 0, opcode, true, hello),
          List.of(1002)));
    }
    g.add(new Garbage("an unmasked client frame", frame(true, 0, 0x1, false, hello), List.of(1002)));
    g.add(new Garbage("RSV1 set without an extension", frame(true, 4, 0x1, true, hello), List.of(1002)));
    g.add(new Garbage("a fragmented ping", frame(false, 0, 0x9, true, hello), List.of(1002)));
    g.add(new Garbage("a 126-byte ping", frame(true, 0, 0x9, true, new byte[126]), List.of(1002)));
    g.add(new Garbage("a continuation with nothing to continue", frame(true, 0, 0x0, true, hello), List.of(1002)));
    g.add(new Garbage("a new text frame inside a fragmented one",
        concat(frame(false, 0, 0x1, true, hello), frame(true, 0, 0x1, true, hello)), List.of(1002)));
    g.add(new Garbage("invalid UTF-8 in a text frame",
        frame(true, 0, 0x1, true, new byte[] {'a', (byte) 0xc3, (byte) 0x28}), List.of(1007)));
    g.add(new Garbage("a close frame with a one-byte body", frame(true, 0, 0x8, true, new byte[] {3}),
        List.of(1002)));
    g.add(new Garbage("a close frame with code 999", frame(true, 0, 0x8, true, new byte[] {0x03, (byte) 0xe7}),
        List.of(1002)));
    g.add(new Garbage("the start of a 33 MiB frame, then silence",
        concat(header(true, 0, 0x2, true, 33L * MIB), new byte[] {1, 2, 3, 4}, new byte[100]), List.of(1009)));
    g.add(new Garbage("a 64-bit length with the top bit set", header(true, 0, 0x2, true, Long.MIN_VALUE + 5),
        List.of(1002, 1009)));
    g.add(new Garbage("a whole 33 MiB frame", frame(true, 0, 0x2, true, new byte[33 * MIB]), List.of(1009)));
    g.add(new Garbage("33 fragments of 1 MiB", fragments(33, MIB), List.of(1009)));
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    noise[0] = (byte) 0x83; // FIN + a reserved opcode: noise that is surely not a valid frame
    g.add(new Garbage("random bytes", noise, List.of(1002)));
    return g;
  }

  @Test
  void garbageFramesCloseOnlyTheirConnectionAndNeverReachTheObject() throws Exception {
    Chat alice = Chat.join(server, "lobby", "alice");
    alice.send("before");
    assertThat(alice.next()).isEqualTo("alice: before");
    long messagesBefore = roomMessages("lobby");
    List<String> wrong = new ArrayList<>();
    for (Garbage g : garbage()) {
      int code;
      try (Socket s = upgrade("lobby", "mallory")) {
        OutputStream out = s.getOutputStream();
        try {
          out.write(g.bytes());
          out.flush();
        } catch (SocketException e) {
          // The server may close while a large payload is still being written.
        }
        code = readCloseCode(s.getInputStream());
      }
      if (!g.closeCodes().contains(code)) {
        wrong.add(g.what() + ": closed with " + (code < 0 ? "no close frame" : code) + ", expected " + g.closeCodes());
      }
      alice.send("after " + g.what());
      String echoed = alice.next();
      if (!echoed.equals("alice: after " + g.what())) {
        wrong.add(g.what() + ": the room answered '" + echoed + "' to the next message");
      }
    }
    assertThat(wrong).as("garbage answered other than RFC 6455 says").isEmpty();
    assertThat(roomMessages("lobby")).as("only alice's messages were counted by the room")
        .isEqualTo(messagesBefore + garbage().size());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (((ObjectNamespace) runtime.namespace("ROOM")).openWebSockets() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(((ObjectNamespace) runtime.namespace("ROOM")).openWebSockets()).as("only alice is still connected").isEqualTo(1);
  }

  private long roomMessages(String room) {
    ObjectNamespace ns = ((ObjectNamespace) runtime.namespace("ROOM"));
    ObjectHandle h = ns.handle(ns.idFromName(room));
    return h.run(obj -> h.storage().get("messages", Long.class).orElse(0L), false);
  }

  private Socket upgrade(String room, String user) throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(15_000);
    s.getOutputStream().write(("GET /room/" + room + "?user=" + user + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade: " + head);
      }
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
    return s;
  }

  /** Reads server frames until a close frame; its code, or -1 if the connection just ended. */
  private static int readCloseCode(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        if ((b0 & 0x0f) == 0x8) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (EOFException | SocketException | SocketTimeoutException e) {
      return -1;
    }
  }

  private static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    byte[] body = payload.clone();
    if (masked) {
      for (int i = 0; i < body.length; i++) {
        body[i] ^= mask[i % 4];
      }
    }
    return concat(header(fin, rsv, opcode, masked, payload.length), masked ? mask : new byte[0], body);
  }

  /** A frame header declaring {@code length} bytes; the mask key, if masked, comes after it. */
  private static byte[] header(boolean fin, int rsv, int opcode, boolean masked, long length) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (length >= 0 && length < 126) {
      b.write(maskBit | (int) length);
    } else if (length >= 0 && length <= 0xffff) {
      b.write(maskBit | 126);
      b.write((int) (length >> 8));
      b.write((int) length);
    } else {
      b.write(maskBit | 127);
      for (int i = 7; i >= 0; i--) {
        b.write((int) (length >> (8 * i)));
      }
    }
    return b.toByteArray();
  }

  /** A binary message in {@code count} fragments of {@code size} bytes, never finished. */
  private static byte[] fragments(int count, int size) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] chunk = new byte[size];
    for (int i = 0; i < count; i++) {
      b.writeBytes(frame(false, 0, i == 0 ? 0x2 : 0x0, true, chunk));
    }
    return b.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /** A well-behaved chat client. */
  private static final class Chat implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket ws;

    static Chat join(DevServer server, String room, String user) {
      Chat c = new Chat();
      c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(server.url().replace("http", "ws") + "/room/" + room + "?user=" + user), c)
          .join();
      return c;
    }

    void send(String message) {
      ws.sendText(message, true).join();
    }

    String next() throws InterruptedException {
      String m = received.poll(15, TimeUnit.SECONDS);
      assertThat(m).as("a message within 15 s").isNotNull();
      return m;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
