import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket fan-out benchmark against the ChatRoom sample: C clients join one room, each sends
 * M messages, every message is broadcast to all C. Counts deliveries per second, measured from the
 * first send to the last delivery. Usage: java ChatFanout.java ws://127.0.0.1:8787 50 40
 *
 * <p>The client shares the machine's cores with the server it measures, so it is a minimal
 * RFC 6455 client on plain sockets: one reading thread per connection parses frames from a
 * buffered stream and counts a delivery by the first bytes of each message, without decoding it.
 */
public class ChatFanout {
  private static final byte[] MESSAGE_PREFIX = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    int perClient = Integer.parseInt(args[2]);
    String room = "fanout-" + System.nanoTime();
    long expected = (long) clients * clients * perClient;
    Deliveries deliveries = new Deliveries(expected);
    CountDownLatch joined = new CountDownLatch(clients);
    String lastJoin = "\"user\":\"u" + (clients - 1) + "\"";
    List<Client> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = Client.connect(base, "/chat/" + room + "?user=u" + i);
      all.add(c);
      Thread.ofPlatform().daemon().name("reader-u" + i).start(() -> c.read(deliveries, joined, lastJoin));
    }
    if (!joined.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every client saw the last join");
    }
    long started = System.nanoTime();
    List<Thread> senders = new ArrayList<>();
    for (Client c : all) {
      senders.add(Thread.ofPlatform().start(() -> {
        for (int m = 0; m < perClient; m++) {
          c.sendText("message " + m);
        }
      }));
    }
    for (Thread t : senders) {
      t.join();
    }
    boolean complete = deliveries.done.await(60, TimeUnit.SECONDS);
    long ended = complete ? deliveries.lastAt : System.nanoTime();
    double seconds = (ended - started) / 1e9;
    System.out.printf("%d clients x %d messages: %d of %d deliveries in %.2f s = %.0f deliveries/s%s%n",
        clients, perClient, deliveries.count.get(), expected, seconds, deliveries.count.get() / seconds,
        complete ? "" : " (INCOMPLETE)");
    for (Client c : all) {
      c.close();
    }
  }

  /** Counts message frames; the one that completes the count records when it arrived. */
  static final class Deliveries {
    final long expected;
    final AtomicLong count = new AtomicLong();
    final CountDownLatch done = new CountDownLatch(1);
    volatile long lastAt;

    Deliveries(long expected) {
      this.expected = expected;
    }

    void add(long n) {
      if (count.addAndGet(n) == expected) {
        lastAt = System.nanoTime();
        done.countDown();
      }
    }
  }

  /** One WebSocket connection: the handshake, masked text frames out, frames in. */
  static final class Client {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String user;

    private Client(Socket socket, DataInputStream in, String user) throws IOException {
      this.socket = socket;
      this.in = in;
      this.out = socket.getOutputStream();
      this.user = user;
    }

    static Client connect(URI base, String pathAndQuery) throws IOException {
      Socket s = new Socket(base.getHost(), base.getPort());
      s.setTcpNoDelay(true);
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      String handshake = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
          + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      s.getOutputStream().write(handshake.getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536));
      String status = readHeaders(in);
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("The upgrade to " + pathAndQuery + " was refused: " + status);
      }
      return new Client(s, in, pathAndQuery);
    }

    /** Reads the response head up to the blank line; returns its status line. */
    private static String readHeaders(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("The server closed the connection during the handshake: " + head);
        }
        head.append((char) b);
      }
      return head.substring(0, head.indexOf("\r\n"));
    }

    void sendText(String text) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      if (payload.length > 125) {
        throw new IllegalArgumentException("Only short messages: " + text);
      }
      send(0x1, payload);
    }

    private void send(int opcode, byte[] payload) {
      byte[] frame = new byte[6 + payload.length];
      frame[0] = (byte) (0x80 | opcode);
      frame[1] = (byte) (0x80 | payload.length);
      int mask = ThreadLocalRandom.current().nextInt();
      for (int i = 0; i < 4; i++) {
        frame[2 + i] = (byte) (mask >>> (24 - 8 * i));
      }
      for (int i = 0; i < payload.length; i++) {
        frame[6 + i] = (byte) (payload[i] ^ frame[2 + (i & 3)]);
      }
      try {
        synchronized (out) {
          out.write(frame);
        }
      } catch (IOException e) {
        throw new IllegalStateException(user + ": could not send: " + e.getMessage(), e);
      }
    }

    /** Reads frames until the connection closes, counting chat messages and watching for the last join. */
    void read(Deliveries deliveries, CountDownLatch joined, String lastJoin) {
      boolean sawLastJoin = false;
      boolean counting = false; // the message being assembled is a chat message
      byte[] first = null; // the first frame of a message that is not a chat message, for the join check
      try {
        while (true) {
          int b0 = in.readUnsignedByte();
          int b1 = in.readUnsignedByte();
          int opcode = b0 & 0x0F;
          boolean fin = (b0 & 0x80) != 0;
          long length = b1 & 0x7F;
          if (length == 126) {
            length = in.readUnsignedShort();
          } else if (length == 127) {
            length = in.readLong();
          }
          if ((b1 & 0x80) != 0) {
            throw new IllegalStateException(user + ": the server sent a masked frame");
          }
          byte[] payload = new byte[(int) length];
          in.readFully(payload);
          switch (opcode) {
            case 0x1 -> {
              counting = startsWith(payload, MESSAGE_PREFIX);
              first = counting ? null : payload;
            }
            case 0x0 -> { } // continuation: belongs to the message begun before
            case 0x8 -> {
              return;
            }
            case 0x9 -> {
              send(0xA, payload);
              continue;
            }
            default -> {
              continue;
            }
          }
          if (fin) {
            if (counting) {
              deliveries.add(1);
            } else if (!sawLastJoin && first != null
                && new String(first, StandardCharsets.UTF_8).startsWith("{\"type\":\"joined\"")
                && new String(first, StandardCharsets.UTF_8).contains(lastJoin)) {
              sawLastJoin = true;
              joined.countDown();
            }
          }
        }
      } catch (EOFException | java.net.SocketException closed) {
        // The connection ended (the benchmark closes it when done).
      } catch (IOException e) {
        System.err.println(user + ": read failed: " + e);
      }
    }

    void close() {
      try {
        send(0x8, new byte[] {0x03, (byte) 0xE8}); // 1000, normal closure
        socket.shutdownOutput();
      } catch (IOException | IllegalStateException e) {
        // Already closed by the server.
      }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
      if (data.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (data[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
