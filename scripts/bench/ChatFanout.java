import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket fan-out benchmark against the ChatRoom sample: C clients join one room, each sends
 * M messages, every message is broadcast to all C. Counts deliveries per second, measured from the
 * first send to the last delivery. Usage: java ChatFanout.java ws://127.0.0.1:8787 50 40
 */
public class ChatFanout {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int clients = Integer.parseInt(args[1]);
    int perClient = Integer.parseInt(args[2]);
    String room = "fanout-" + System.nanoTime();
    long expected = (long) clients * clients * perClient;
    AtomicLong delivered = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch joined = new CountDownLatch(clients);
    HttpClient http = HttpClient.newHttpClient();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int me = i;
      WebSocket.Listener listener = new WebSocket.Listener() {
        final StringBuilder buf = new StringBuilder();
        int present;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          buf.append(data);
          if (last) {
            String m = buf.toString();
            buf.setLength(0);
            if (m.startsWith("{\"type\":\"message\"")) {
              if (delivered.incrementAndGet() == expected) {
                done.countDown();
              }
            } else if (m.startsWith("{\"type\":\"joined\"") && present == 0
                && m.contains("\"user\":\"u" + (clients - 1) + "\"")) {
              present = 1;
              joined.countDown();
            }
          }
          ws.request(1);
          return null;
        }
      };
      sockets.add(http.newWebSocketBuilder()
          .buildAsync(URI.create(base + "/chat/" + room + "?user=u" + me), listener).join());
    }
    if (!joined.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every client saw the last join");
    }
    long started = System.nanoTime();
    List<Thread> senders = new ArrayList<>();
    for (WebSocket ws : sockets) {
      senders.add(Thread.ofVirtual().start(() -> {
        for (int m = 0; m < perClient; m++) {
          ws.sendText("message " + m, true).join();
        }
      }));
    }
    for (Thread t : senders) {
      t.join();
    }
    boolean complete = done.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("%d clients x %d messages: %d of %d deliveries in %.2f s = %.0f deliveries/s%s%n",
        clients, perClient, delivered.get(), expected, seconds, delivered.get() / seconds,
        complete ? "" : " (INCOMPLETE)");
    for (WebSocket ws : sockets) {
      ws.sendClose(1000, "done");
    }
  }
}
