package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bodies far larger than the heap, in a dev server running in a child JVM with a small heap: what
 * buffering bodies in memory could not serve.
 */
class LargeBodiesProcessTest {
  private static final long MIB = 1024 * 1024;
  /** The launcher's heap settings (the {@code durable} script). */
  private static final List<String> LAUNCHER_HEAP = List.of("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss512k");

  @Test
  void aGigabyteStreamsThroughTheWorkerAndAnObjectAndBackWithA64MegabyteHeap() throws Exception {
    try (Child server = Child.start(List.of("-Xmx64m", "-XX:+UseSerialGC"), 2048 * MIB)) {
      long length = 1024 * MIB;
      URI url = URI.create(server.url);
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        OutputStream out = socket.getOutputStream();
        CompletableFuture<String> sent = CompletableFuture.supplyAsync(() -> {
          try {
            out.write(("POST /echo/big HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nContent-Length: " + length
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return digest(new Pattern(length), out);
          } catch (IOException e) {
            throw new IllegalStateException("sending the body failed: " + e.getMessage(), e);
          }
        });
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertThat(head).as("the echo's head").startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        String received = digest(new Dechunked(in), OutputStream.nullOutputStream());
        assertThat(received).as("length and SHA-256 of what came back").isEqualTo(sent.get(5, TimeUnit.MINUTES));
      }
      assertThat(server.output()).as("the server's log").doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void aHundredMegabyteBodyReadWholeAndSixParallelFiftyMegabyteOnesFitTheLaunchersHeap() throws Exception {
    try (Child server = Child.start(LAUNCHER_HEAP, 100 * MIB)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThat(upload(http, server.url + "/whole", 100 * MIB).join()).isEqualTo(expected(100 * MIB));
      List<CompletableFuture<String>> uploads = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        uploads.add(upload(http, server.url + "/whole", 50 * MIB));
      }
      for (CompletableFuture<String> upload : uploads) {
        assertThat(upload.get(5, TimeUnit.MINUTES)).isEqualTo(expected(50 * MIB));
      }
      assertThat(upload(http, server.url + "/digest", 100 * MIB).join()).as("read as a stream")
          .isEqualTo(expected(100 * MIB));
      assertThat(server.output()).as("the server's log").doesNotContain("OutOfMemoryError");
    }
  }

  private static CompletableFuture<String> upload(HttpClient http, String url, long length) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(length)), length)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> r.statusCode() + " " + r.body());
  }

  private static String expected(long length) throws IOException {
    return "200 " + digest(new Pattern(length), OutputStream.nullOutputStream());
  }

  /** Copies {@code in} to {@code out}; answers {@code <length> <sha-256 hex>} of what was copied. */
  static String digest(InputStream in, OutputStream out) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[256 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      sha.update(buffer, 0, n);
      out.write(buffer, 0, n);
      total += n;
    }
    out.flush();
    return total + " " + HexFormat.of().formatHex(sha.digest());
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed in the answer's head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** {@code length} bytes of a fixed pseudo-random pattern, made as they are read. */
  static final class Pattern extends InputStream {
    private long left;
    private long state = 0x9E3779B97F4A7C15L;

    Pattern(long length) {
      this.left = length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      left -= n;
      return n;
    }
  }

  /** The body of a chunked answer. */
  static final class Dechunked extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean ended;

    Dechunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      if (chunkLeft == 0) {
        String size;
        do {
          size = line();
        } while (size.isEmpty());
        chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
        if (chunkLeft == 0) {
          ended = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new IOException("the answer ended inside a chunk");
      }
      chunkLeft -= n;
      return n;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("the answer ended before its last chunk");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /** The streaming app's dev server in a child JVM. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final String url;

    private Child(Process process) throws IOException {
      this.process = process;
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String found = null;
      for (String line; found == null && (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("URL ")) {
          found = line.substring(4);
        }
      }
      if (found == null) {
        throw new IllegalStateException("the child server printed no URL; its output:\n" + output);
      }
      this.url = found;
      Thread.ofPlatform().daemon().start(() -> {
        try {
          for (String line; (line = lines.readLine()) != null; ) {
            output.append(line).append('\n');
          }
        } catch (IOException e) {
          output.append("(output unreadable: ").append(e.getMessage()).append(")\n");
        }
      });
    }

    static Child start(List<String> jvmOptions, long maxBody) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElseThrow());
      command.addAll(jvmOptions);
      command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          StreamingServerMain.class.getName(), Long.toString(maxBody)));
      return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    String output() {
      return output.toString();
    }

    @Override
    public void close() throws IOException {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
