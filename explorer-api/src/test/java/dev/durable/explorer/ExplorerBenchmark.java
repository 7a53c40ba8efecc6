package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast the explorer lists objects and queries one that is not live, over HTTP on loopback.
 * Prints numbers; asserts only that the answers are right. Run with {@code -Pbench}.
 */
@Tag("benchmark")
class ExplorerBenchmark {
  private static final int OBJECTS = 10_000;
  private static final int QUERIES = 3_000;
  private static final int WARM_UP = 2_000;
  private static final int ROUNDS = 5;

  @TempDir
  Path state;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void listingTenThousandObjectsPageByPage() throws Exception {
    try (DurableRuntime writer = ExplorerServer.runtime(state).build()) {
      StateFiles.writeNamedObjects(writer, "NOTES", OBJECTS);
      StateFiles.writeNamedObjects(writer, "PLAIN", OBJECTS);
    }
    try (ExplorerServer s = ExplorerServer.start(state)) {
      long jvmCold = listAll(s, "app-Plain", 1000);
      long cacheCold = listAll(s, "app-Notes", 1000);
      long[] warm = new long[5];
      for (int i = 0; i < warm.length; i++) {
        warm[i] = listAll(s, "app-Notes", 1000);
      }
      Arrays.sort(warm);
      long onePage = listAll(s, "app-Notes", 10_000);
      assertThat(s.runtime.tools().inMemory("NOTES")).as("listing wakes and loads no object").isEmpty();
      System.out.printf("%nExplorer listing of %,d objects, 10 pages of 1000 over HTTP:%n", OBJECTS);
      System.out.printf("  first listing in a fresh JVM (names read from files): %,d ms%n", jvmCold / 1_000_000);
      System.out.printf("  first listing of a namespace, JVM warm (names read from files): %,d ms%n", cacheCold / 1_000_000);
      System.out.printf("  again, names cached (median of 5): %,d ms%n", warm[2] / 1_000_000);
      System.out.printf("  one page of 10,000, names cached: %,d ms%n", onePage / 1_000_000);
    }
  }

  @Test
  void aSmallSelectOnAnObjectThatIsNotLive() throws Exception {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(NS + "/app-Notes/query", """
          {"durable_object_name":"bench","queries":[
            {"sql":"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)"},
            {"sql":"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO items SELECT i, 'item ' || i, i * 1.5 FROM n"}]}""").ok();
      String body = "{\"durable_object_name\":\"bench\",\"queries\":[{\"sql\":\"SELECT * FROM items WHERE id = ?\",\"params\":[42]}]}";
      HttpRequest request = HttpRequest.newBuilder(URI.create(s.url(ExplorerServer.BASE + NS + "/app-Notes/query")))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      TestObjects.NotesApi stub = s.runtime.namespace("NOTES").getByName("bench", TestObjects.NotesApi.class);
      for (int i = 0; i < WARM_UP; i++) {
        send(request);
      }
      HttpRequest floor = HttpRequest.newBuilder(URI.create(s.url(ExplorerServer.BASE + NS))).build();
      // Scenarios interleaved over rounds, so that none profits from running last on a warmer JVM.
      long[][] samples = new long[4][];
      for (int round = 0; round < ROUNDS; round++) {
        s.runtime.tools().evict(s.stub("NOTES", "bench"));
        send(request); // opens the database again; the object stays not live
        assertThat(s.runtime.tools().isLive(s.stub("NOTES", "bench"))).as("queries must not wake the object").isFalse();
        samples[0] = concat(samples[0], measure(request, QUERIES / ROUNDS, () -> {}));
        samples[1] = concat(samples[1], measure(request, QUERIES / ROUNDS / 3, () -> s.runtime.tools().evict(s.stub("NOTES", "bench"))));
        stub.titleOf(1);
        assertThat(s.runtime.tools().isLive(s.stub("NOTES", "bench"))).isTrue();
        samples[2] = concat(samples[2], measure(request, QUERIES / ROUNDS, () -> {}));
        samples[3] = concat(samples[3], measure(floor, QUERIES / ROUNDS, () -> {}));
      }
      System.out.printf("%nExplorer query (SELECT one row of 100) over HTTP, %d rounds after %,d warm-up:%n",
          ROUNDS, WARM_UP);
      print("not live, database open", samples[0]);
      print("not live, evicted before each query (database closed)", samples[1]);
      print("live", samples[2]);
      print("for scale: GET of the namespaces (no object, no SQL)", samples[3]);
    }
  }

  private long listAll(ExplorerServer s, String namespace, int limit) throws Exception {
    long t0 = System.nanoTime();
    String cursor = "";
    int seen = 0;
    do {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url(ExplorerServer.BASE + NS + "/"
          + namespace + "/objects?limit=" + limit + (cursor.isEmpty() ? "" : "&cursor=" + cursor)))).build(),
          HttpResponse.BodyHandlers.ofString());
      var json = ExplorerServer.JSON.readTree(r.body());
      seen += json.get("result").size();
      cursor = json.at("/result_info/cursor").asText();
    } while (!cursor.isEmpty());
    long took = System.nanoTime() - t0;
    assertThat(seen).isEqualTo(OBJECTS);
    return took;
  }

  private long[] measure(HttpRequest request, int count, Runnable before) throws Exception {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      before.run();
      long t0 = System.nanoTime();
      send(request);
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  private static long[] concat(long[] a, long[] b) {
    if (a == null) {
      return b;
    }
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    boolean query = request.method().equals("POST");
    if (r.statusCode() != 200 || (query && !r.body().contains("\"item 42\""))) {
      throw new AssertionError("Unexpected answer: " + r.statusCode() + " " + r.body());
    }
  }

  private static void print(String what, long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    System.out.printf("  %-55s median %.2f ms, p99 %.2f ms%n", what + ":",
        sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
  }
}
