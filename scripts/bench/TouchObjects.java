import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Touches N fresh counters (one POST each) from 16 concurrent clients and prints the time taken.
 * Usage: java TouchObjects.java http://127.0.0.1:8787 10000 prefix
 */
public class TouchObjects {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int n = Integer.parseInt(args[1]);
    String prefix = args.length > 2 ? args[2] : "fresh";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int t = 0; t < 16; t++) {
        pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < n) {
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/counter/" + prefix + i))
                  .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200 || !r.body().equals("1")) {
                failures.incrementAndGet();
              }
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("touched %d fresh objects in %.2f s (%.0f/s), %d failures%n", n, seconds, n / seconds,
        failures.get());
  }
}
