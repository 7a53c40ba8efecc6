package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a standard WebSocket client sees on the wire: the upgrade's headers, which messages are
 * compressed when it offers permessage-deflate, and messages of one event sent in one write.
 */
class WebSocketWireTest {
  private static final String OFFER = "permessage-deflate; client_max_window_bits";

  private DurableRuntime runtime;
  private DevServer server;

  private void start(UnaryOperator<DevServer.Options> options) {
    runtime = ServerTestApp.runtime(null).build();
    server = DevServer.start(runtime, options.apply(DevServer.Options.defaults().port(0)));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void theUpgradeCarriesOnlyTheProtocolsHeadersNoCookieNoExpiresNoContentType() throws IOException {
    start(o -> o);
    try (Wire wire = Wire.open(server.port(), "/room/h?user=a", OFFER)) {
      assertThat(wire.status).isEqualTo("HTTP/1.1 101 Switching Protocols");
      assertThat(wire.headers.keySet()).as("headers of the upgrade: %s", wire.headers)
          .isSubsetOf("date", "upgrade", "connection", "sec-websocket-accept", "sec-websocket-extensions");
      assertThat(wire.headers.get("sec-websocket-extensions")).isEqualTo("permessage-deflate");
    }
  }

  @Test
  void messagesUnderTheThresholdGoUncompressedAndLargerOnesCompressed() throws Exception {
    start(o -> o);
    try (Wire wire = Wire.open(server.port(), "/room/c?user=a", OFFER)) {
      wire.sendText("small");
      Frame small = wire.read();
      assertThat(small.compressed()).as("a 9-byte message is sent as it is").isFalse();
      assertThat(small.text()).isEqualTo("a: small");

      byte[] large = new byte[4096];
      new Random(3).nextBytes(large);
      wire.sendBinary(large);
      Frame echoed = wire.read();
      assertThat(echoed.compressed()).as("a 4 KiB message is compressed").isTrue();
      assertThat(echoed.inflated()).isEqualTo(large);

      wire.sendText("again"); // the deflate context is intact after an uncompressed message
      assertThat(wire.read().text()).isEqualTo("a: again");
      wire.sendBinary(large);
      assertThat(wire.read().inflated(echoed)).isEqualTo(large);
    }
  }

  @Test
  void theThresholdCanBeLoweredOrCompressionTurnedOff() throws Exception {
    start(o -> o.webSocketCompressionMin(0));
    try (Wire wire = Wire.open(server.port(), "/room/z?user=a", OFFER)) {
      wire.sendText("small");
      Frame f = wire.read();
      assertThat(f.compressed()).as("threshold 0 compresses every message").isTrue();
      assertThat(new String(f.inflated(), StandardCharsets.UTF_8)).isEqualTo("a: small");
    }
    stop();
    start(o -> o.webSocketCompressionMin(DevServer.Options.COMPRESSION_OFF));
    try (Wire wire = Wire.open(server.port(), "/room/z?user=a", OFFER)) {
      assertThat(wire.headers).as("compression off is not negotiated").doesNotContainKey("sec-websocket-extensions");
      byte[] large = new byte[4096];
      wire.sendBinary(large);
      Frame f = wire.read();
      assertThat(f.compressed()).isFalse();
      assertThat(f.payload()).isEqualTo(large);
    }
  }

  @Test
  void compressedMessagesFromTheClientAreTakenUpToTheMessageLimit() throws Exception {
    start(o -> o);
    try (Wire wire = Wire.open(server.port(), "/room/d?user=a", OFFER)) {
      // Inflated in pieces of 8 KiB: a message over one piece used to close the socket with 1009.
      String twentyK = "len:" + "x".repeat(20_000);
      wire.sendCompressedText(twentyK);
      assertThat(wire.read().text()).isEqualTo("len " + twentyK.length());
      String nearLimit = "len:" + "y".repeat(31 * 1024 * 1024);
      wire.sendCompressedText(nearLimit);
      assertThat(wire.read().text()).as("a 31 MiB message under the 32 MiB limit").isEqualTo("len " + nearLimit.length());
      wire.sendCompressedText("len:" + "z".repeat(33 * 1024 * 1024));
      Frame refused = wire.read();
      assertThat(refused.opcode()).as("a message over the limit closes the socket").isEqualTo(0x8);
      assertThat(refused.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void aThresholdBelowOffIsRefusedNamingTheValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DevServer.Options.defaults().webSocketCompressionMin(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
  }

  @Test
  void theMessagesOfOneEventLeaveInOneWrite() throws Exception {
    start(o -> o);
    try (Wire wire = Wire.open(server.port(), "/room/b?user=a", OFFER)) {
      wire.sendText("burst:20");
      byte[] first = wire.readAvailable();
      List<Frame> frames = Frame.parse(first);
      assertThat(frames).as("frames in the first read of the socket (one write carries all 20)").hasSize(20);
      assertThat(frames.get(19).text()).isEqualTo("m20");
    }
  }

  /** One frame from the server: flags and payload. */
  record Frame(int opcode, boolean compressed, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    byte[] inflated() {
      return inflate(new Inflater(true));
    }

    /** Inflated with the context of an earlier message (context takeover). */
    byte[] inflated(Frame earlier) {
      Inflater inflater = new Inflater(true);
      earlier.inflate(inflater);
      return inflate(inflater);
    }

    private byte[] inflate(Inflater inflater) {
      try {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xff;
        input[payload.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
          out.write(buf, 0, n);
        }
        return out.toByteArray();
      } catch (java.util.zip.DataFormatException e) {
        throw new AssertionError("the compressed frame does not inflate", e);
      }
    }

    static List<Frame> parse(byte[] bytes) throws IOException {
      List<Frame> out = new ArrayList<>();
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
      while (in.available() > 0) {
        out.add(read(in));
      }
      return out;
    }

    static Frame read(DataInputStream in) throws IOException {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(b0 & 0x0f, (b0 & 0x40) != 0, payload);
    }
  }

  /** A WebSocket client on a plain socket, so the test sees the bytes a client receives. */
  static final class Wire implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    String status;
    final Map<String, String> headers = new LinkedHashMap<>();

    private Wire(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static Wire open(int port, String path, String extensions) throws IOException {
      Wire w = new Wire(new Socket("127.0.0.1", port));
      w.socket.setSoTimeout(30_000);
      w.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: " + extensions + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      w.out.flush();
      w.status = w.line();
      for (String line = w.line(); !line.isEmpty(); line = w.line()) {
        int colon = line.indexOf(':');
        w.headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      return w;
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("the server closed the connection after: " + b);
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    void sendText(String text) throws IOException {
      send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBinary(byte[] data) throws IOException {
      send(0x2, data);
    }

    /** A text message deflated as a browser sends it: RSV1 set, the sync flush's tail removed. */
    void sendCompressedText(String text) throws IOException {
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream deflated = new ByteArrayOutputStream();
      byte[] buf = new byte[65536];
      int n;
      while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
        deflated.write(buf, 0, n);
      }
      deflater.end();
      byte[] payload = deflated.toByteArray();
      send(0x40 | 0x1, Arrays.copyOf(payload, payload.length - 4));
    }

    /** A masked, final frame, as a client sends it; {@code flagsAndOpcode} may set RSV1. */
    private void send(int flagsAndOpcode, byte[] payload) throws IOException {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write(0x80 | flagsAndOpcode);
      if (payload.length < 126) {
        f.write(0x80 | payload.length);
      } else if (payload.length <= 0xffff) {
        f.write(0x80 | 126);
        f.write(payload.length >> 8);
        f.write(payload.length & 0xff);
      } else {
        f.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          f.write((int) ((long) payload.length >> shift) & 0xff);
        }
      }
      byte[] mask = {1, 2, 3, 4};
      f.write(mask);
      for (int i = 0; i < payload.length; i++) {
        f.write(payload[i] ^ mask[i % 4]);
      }
      out.write(f.toByteArray());
      out.flush();
    }

    Frame read() throws IOException {
      return Frame.read(in);
    }

    /** What one read of the socket returns (blocking until something arrives). */
    byte[] readAvailable() throws IOException {
      InputStream raw = in;
      byte[] buf = new byte[65536];
      int n = raw.read(buf);
      return Arrays.copyOf(buf, Math.max(n, 0));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
