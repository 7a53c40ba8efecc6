package dev.durable.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.ServerTestApp;
import dev.durable.runtime.DurableRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many HTTP clients on the same few counters, chat clients on the same rooms over WebSockets,
 * and every instance evicted again and again, all at once for a bounded time: no error, and
 * afterwards every counter holds exactly the increments that were answered and every room
 * counted exactly the messages that were broadcast; every database file is intact.
 *
 * <p>Longer: {@code -Ddurable.soak.seconds=60}.
 */
class SoakTest {
  private static final List<String> COUNTERS = List.of("c0", "c1", "c2", "c3");
  private static final List<String> ROOMS = List.of("r0", "r1");
  private static final int HTTP_CLIENTS = 8;
  private static final int CHATTERS_PER_ROOM = 3;

  @TempDir
  Path dir;

  @Test
  void httpWebSocketsAndEvictionsTogetherLoseAndBreakNothing() throws Exception {
    Duration length = Duration.ofSeconds(Long.getLong("durable.soak.seconds", 3));
    Path state = dir.resolve("state");
    Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
    Map<String, AtomicLong> broadcast = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicLong evictions = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long stopAt = System.nanoTime() + length.toNanos();

    try (DurableRuntime runtime = DurableRuntime.builder().worker(new ServerTestApp())
        .idleTimeout(Duration.ofMillis(50)).stateDirectory(state)
        .bind("COUNTER", ServerTestApp.Counter.class).bind("ROOM", ServerTestApp.Room.class).build();
        DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < HTTP_CLIENTS; i++) {
        Random random = new Random(i);
        threads.add(Thread.ofPlatform().name("soak-http-" + i).start(() -> {
          while (System.nanoTime() < stopAt && errors.isEmpty()) {
            String name = COUNTERS.get(random.nextInt(COUNTERS.size()));
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create(server.url() + "/counter/" + name)).timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                answered.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
              } else {
                errors.add("POST /counter/" + name + " -> " + r.statusCode() + " " + r.body());
              }
            } catch (Exception e) {
              errors.add("POST /counter/" + name + " failed: " + e);
            }
          }
        }));
      }
      for (String room : ROOMS) {
        for (int u = 0; u < CHATTERS_PER_ROOM; u++) {
          String user = room + "-u" + u;
          threads.add(Thread.ofPlatform().name("soak-ws-" + user).start(() -> {
            try {
              Chatter c = Chatter.join(server, room, user);
              for (int m = 0; System.nanoTime() < stopAt && errors.isEmpty(); m++) {
                String text = "m" + m;
                c.ws.sendText(text, true).get(30, TimeUnit.SECONDS);
                if (!c.awaitOwn(user + ": " + text)) {
                  errors.add(user + " never saw its own message " + text + " broadcast");
                  return;
                }
                broadcast.computeIfAbsent(room, k -> new AtomicLong()).incrementAndGet();
              }
              c.ws.sendClose(1000, "done").get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              errors.add(user + " failed: " + e);
            }
          }));
        }
      }
      threads.add(Thread.ofPlatform().name("soak-evictor").start(() -> {
        while (System.nanoTime() < stopAt && errors.isEmpty()) {
          try {
            runtime.evictAll();
            evictions.incrementAndGet();
            Thread.sleep(20);
          } catch (Exception e) {
            errors.add("evictAll failed: " + e);
          }
        }
      }));
      for (Thread t : threads) {
        t.join(length.toMillis() + 120_000);
        assertThat(t.isAlive()).as("%s still running 2 minutes after the soak ended", t.getName()).isFalse();
      }
      assertThat(errors).as("errors during the soak").isEmpty();

      for (String name : COUNTERS) {
        long expected = answered.getOrDefault(name, new AtomicLong()).get();
        String value = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/counter/" + name)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(Long.parseLong(value)).as("counter %s after %d answered increments", name, expected)
            .isEqualTo(expected);
      }
      for (String room : ROOMS) {
        ObjectNamespace ns = ((ObjectNamespace) runtime.namespace("ROOM"));
        ObjectHandle h = ns.handle(ns.idFromName(room));
        long counted = h.run(obj -> h.storage().get("messages", Long.class).orElse(0L), false);
        assertThat(counted).as("messages room %s counted", room)
            .isEqualTo(broadcast.getOrDefault(room, new AtomicLong()).get());
      }
      System.out.printf("soak: %d s, %d increments answered, %d WebSocket messages broadcast, %d evictAll rounds,"
          + " 0 errors%n", length.toSeconds(), answered.values().stream().mapToLong(AtomicLong::get).sum(),
          broadcast.values().stream().mapToLong(AtomicLong::get).sum(), evictions.get());
      assertThat(answered.values().stream().mapToLong(AtomicLong::get).sum()).isPositive();
      assertThat(broadcast.values().stream().mapToLong(AtomicLong::get).sum()).isPositive();
    }
    StateFiles.assertAllIntact(state);
  }

  /** A chat client that waits for its own messages to come back from the room. */
  private static final class Chatter implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    WebSocket ws;

    static Chatter join(DevServer server, String room, String user) {
      Chatter c = new Chatter();
      c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(server.url().replace("http", "ws") + "/room/" + room + "?user=" + user), c)
          .join();
      return c;
    }

    /** Skips other users' messages until this one arrives. */
    boolean awaitOwn(String expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String m = received.poll(1, TimeUnit.SECONDS);
        if (expected.equals(m)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
