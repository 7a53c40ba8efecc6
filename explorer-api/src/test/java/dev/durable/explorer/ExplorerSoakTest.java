package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explorer edits and reads mixed with worker traffic on the same objects for a bounded time
 * ({@code -Ddurable.soak.seconds=N}, default 3): no error but the expected ones, and the final
 * state is exactly what was acknowledged.
 */
class ExplorerSoakTest {
  private static final List<String> OBJECTS = List.of("a", "b", "c");

  /** {@code POST /add/{name}?title=...} adds a note through the object's RPC. */
  public static class App implements Worker {
    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      String name = request.path().substring("/add/".length());
      long id = env.durableObject("NOTES").getByName(name, TestObjects.NotesApi.class).add(request.query("title"));
      return Response.text(Long.toString(id));
    }
  }

  @TempDir
  Path state;

  @Test
  void explorerEditsAndWorkerTrafficKeepTheStateConsistent() throws Exception {
    long seconds = Long.getLong("durable.soak.seconds", 3);
    try (ExplorerServer s = ExplorerServer.start(ExplorerServer.runtime(state).worker(new App())
        .idleTimeout(Duration.ofMillis(50)).build(), o -> o)) {
      Map<String, AtomicInteger> added = new ConcurrentHashMap<>();
      Map<String, Long> lastPut = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      AtomicLong explorerCalls = new AtomicLong();
      OBJECTS.forEach(o -> added.put(o, new AtomicInteger()));
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      List<Thread> threads = new java.util.ArrayList<>();
      for (int w = 0; w < 4; w++) {
        threads.add(Thread.ofVirtual().start(() -> {
          while (System.nanoTime() < end) {
            String o = OBJECTS.get(ThreadLocalRandom.current().nextInt(OBJECTS.size()));
            ExplorerServer.Reply r = s.send(HttpRequest.newBuilder(URI.create(s.url("/add/" + o + "?title=t")))
                .POST(HttpRequest.BodyPublishers.noBody()));
            if (r.status() == 200) {
              added.get(o).incrementAndGet();
            } else {
              errors.add("worker " + r.status() + " " + r.text());
            }
          }
        }));
      }
      for (int e = 0; e < 2; e++) {
        int editor = e;
        threads.add(Thread.ofVirtual().start(() -> {
          long n = 0;
          while (System.nanoTime() < end) {
            String o = OBJECTS.get(ThreadLocalRandom.current().nextInt(OBJECTS.size()));
            String base = ExplorerServer.NS + "/app-Notes/objects/name:" + o;
            ExplorerServer.Reply r = switch ((int) (n++ % 4)) {
              case 0 -> {
                long v = editor * 1_000_000L + n;
                ExplorerServer.Reply put = s.put(base + "/kv/editor" + editor, "{\"value\":" + v + "}");
                if (put.status() == 200) {
                  lastPut.put(o + "/editor" + editor, v);
                }
                yield put;
              }
              case 1 -> s.post(ExplorerServer.NS + "/app-Notes/query", "{\"durable_object_name\":\"" + o
                  + "\",\"queries\":[{\"sql\":\"SELECT count(*) AS n FROM sqlite_master\"}]}");
              case 2 -> s.get(base + "/kv");
              default -> s.get(base);
            };
            explorerCalls.incrementAndGet();
            if (r.status() != 200) {
              errors.add("explorer " + r.status() + " " + r.text());
            }
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(errors).as("unexpected errors").isEmpty();
      for (String o : OBJECTS) {
        JsonNode rows = s.post(ExplorerServer.NS + "/app-Notes/query", "{\"durable_object_name\":\"" + o
            + "\",\"queries\":[{\"sql\":\"SELECT count(*) FROM notes\"}]}").ok();
        assertThat(rows.at("/0/rows/0/0").asLong()).as("notes in %s", o).isEqualTo(added.get(o).get());
        for (int e = 0; e < 2; e++) {
          Long expected = lastPut.get(o + "/editor" + e);
          if (expected != null) {
            assertThat(s.runtime.namespace("NOTES").getByName(o, TestObjects.NotesApi.class)
                .valueOf("editor" + e)).as("last explorer put in %s", o).isEqualTo(expected.intValue() == expected
                    ? (Object) expected.intValue() : expected);
          }
        }
      }
      System.out.printf("explorer soak: %d s, %d worker adds, %d explorer calls, 0 errors%n", seconds,
          added.values().stream().mapToInt(AtomicInteger::get).sum(), explorerCalls.get());
    }
  }
}
