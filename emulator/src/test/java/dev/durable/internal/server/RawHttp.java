package dev.durable.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 exchange on a plain socket, for what a library client hides: sending a chunked
 * body part by part while reading the answer, reading a chunked answer chunk by chunk, and going
 * away in the middle.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean chunked;
  private boolean ended;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Sends a request head; {@code chunkedBody}: a chunked body follows with {@link #sendChunk}. */
  static RawHttp open(String baseUrl, String method, String path, boolean chunkedBody) throws IOException {
    URI base = URI.create(baseUrl);
    RawHttp http = new RawHttp(new Socket(base.getHost(), base.getPort()));
    http.socket.setSoTimeout(30_000);
    String head = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
        + (chunkedBody ? "Transfer-Encoding: chunked\r\n" : "") + "\r\n";
    http.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    http.out.flush();
    return http;
  }

  /** Sends one chunk of the request body (an empty one ends it). */
  void sendChunk(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads the status line and headers; returns them as text (lower-cased names kept as sent). */
  String readHead() throws IOException {
    StringBuilder head = new StringBuilder();
    String line;
    while (!(line = readLine()).isEmpty()) {
      head.append(line).append('\n');
      if (line.toLowerCase(java.util.Locale.ROOT).equals("transfer-encoding: chunked")) {
        chunked = true;
      }
    }
    return head.toString();
  }

  /** The next chunk of a chunked answer as text, or null at its end. */
  String readChunk() throws IOException {
    if (!chunked) {
      throw new IllegalStateException("the answer is not chunked");
    }
    if (ended) {
      return null;
    }
    // Jetty ends a chunk's data with its CRLF only when the next chunk (or the end) is written.
    String sizeLine;
    do {
      sizeLine = readLine();
    } while (sizeLine.isEmpty());
    int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
    if (size == 0) {
      readLine();
      ended = true;
      return null;
    }
    byte[] data = in.readNBytes(size);
    return new String(data, StandardCharsets.UTF_8);
  }

  /** Reads chunks until the text read so far ends with {@code suffix}; returns it all. */
  String readUntil(String suffix) throws IOException {
    StringBuilder text = new StringBuilder();
    while (!text.toString().endsWith(suffix)) {
      String chunk = readChunk();
      if (chunk == null) {
        throw new AssertionError("the answer ended before '" + suffix + "'; it was: " + text);
      }
      text.append(chunk);
    }
    return text.toString();
  }

  /** Goes away: closes the connection. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b < 0 && line.size() == 0) {
      throw new IOException("the connection closed");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
