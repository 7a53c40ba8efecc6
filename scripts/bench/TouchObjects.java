import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Touches N fresh counters (one POST each, every answer must be "1") from 16 keep-alive
 * connections and prints the time taken. With {@code rooms} it touches N fresh chat rooms
 * instead ({@code GET /chat/NAME/presence}): objects whose first event runs SQL (the room's
 * {@code CREATE TABLE}), so each opens SQLite and makes its file through it.
 *
 * <p>Plain sockets on purpose: the JDK's HttpClient spends about 1.5 ms of CPU a request, as much
 * as the server it measures, on the same two cores. This client spends a few microseconds.
 * Usage: java TouchObjects.java http://127.0.0.1:8787 10000 [prefix [rooms]]
 */
public class TouchObjects {
  private static final int CONNECTIONS = 16;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int n = Integer.parseInt(args[1]);
    String prefix = args.length > 2 ? args[2] : "fresh";
    boolean rooms = args.length > 3 && args[3].equals("rooms");
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<String> firstFailure = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < CONNECTIONS; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        Connection connection = null;
        int i;
        while ((i = next.getAndIncrement()) < n) {
          try {
            if (connection == null) {
              connection = new Connection(base);
            }
            String body = rooms ? connection.send("GET", "/chat/" + prefix + i + "/presence")
                : connection.send("POST", "/counter/" + prefix + i);
            if (rooms ? !body.startsWith("{\"present\"") : !body.equals("1")) {
              fail(failures, firstFailure, prefix + i + " answered " + body);
            }
          } catch (IOException e) {
            fail(failures, firstFailure, prefix + i + ": " + e);
            connection = null;
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("touched %d fresh objects in %.2f s (%.0f/s), %d failures%s%n", n, seconds, n / seconds,
        failures.get(), firstFailure.isEmpty() ? "" : " (first: " + firstFailure.get(0) + ")");
  }

  private static void fail(AtomicInteger failures, List<String> first, String what) {
    failures.incrementAndGet();
    synchronized (first) {
      if (first.isEmpty()) {
        first.add(what);
      }
    }
  }

  /** One HTTP/1.1 keep-alive connection; answers must carry a Content-Length. */
  static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    Connection(URI base) throws IOException {
      socket = new Socket(base.getHost(), base.getPort());
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
      host = base.getHost() + ":" + base.getPort();
    }

    String send(String method, String path) throws IOException {
      out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("status line " + status);
      }
      int length = -1;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(header.substring(colon + 1).trim());
        }
      }
      if (length < 0) {
        throw new IOException("answer without Content-Length");
      }
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}
