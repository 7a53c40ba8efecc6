package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectHandle;
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
  private static final int WARM_UP = 1_000;

  @TempDir
  Path state;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void listingTenThousandObjectsPageByPage() throws Exception {
    try (DurableRuntime writer = ExplorerServer.runtime(state).build()) {
      StateFiles.writeNamedObjects(writer.namespace("NOTES"), OBJECTS);
      StateFiles.writeNamedObjects(writer.namespace("PLAIN"), OBJECTS);
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
      assertThat(s.runtime.namespace("NOTES").handles()).as("listing wakes and loads no object").isEmpty();
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
      ObjectHandle h = s.handle("NOTES", "bench");
      String body = "{\"durable_object_name\":\"bench\",\"queries\":[{\"sql\":\"SELECT * FROM items WHERE id = ?\",\"params\":[42]}]}";
      HttpRequest request = HttpRequest.newBuilder(URI.create(s.url(ExplorerServer.BASE + NS + "/app-Notes/query")))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

      measure(request, QUERIES, null); // JIT warm-up of the whole path, discarded
      long[] notLive = measure(request, QUERIES, null);
      assertThat(h.isLive()).as("queries must not wake the object").isFalse();
      long[] evicted = measure(request, QUERIES / 3, h);
      s.runtime.namespace("NOTES").getByName("bench", TestObjects.NotesApi.class).titleOf(1);
      assertThat(s.handle("NOTES", "bench").isLive()).isTrue();
      long[] live = measure(request, QUERIES, null);
      System.out.printf("%nExplorer query (SELECT one row of 100) over HTTP, %,d requests after %,d warm-up:%n", QUERIES, WARM_UP);
      print("not live, database open", notLive);
      print("not live, evicted before each query (database closed)", evicted);
      print("live", live);
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

  private long[] measure(HttpRequest request, int count, ObjectHandle evictBefore) throws Exception {
    for (int i = 0; i < WARM_UP; i++) {
      send(request);
    }
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      if (evictBefore != null) {
        evictBefore.evict();
      }
      long t0 = System.nanoTime();
      send(request);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private void send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("\"item 42\"")) {
      throw new AssertionError("Unexpected answer: " + r.statusCode() + " " + r.body());
    }
  }

  private static void print(String what, long[] sorted) {
    System.out.printf("  %-55s median %.2f ms, p99 %.2f ms%n", what + ":",
        sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
  }
}
