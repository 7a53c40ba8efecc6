package dev.durable.crash;

import dev.durable.testsupport.DevServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code durable dev} in a child process, drives concurrent increments over HTTP, kills it
 * with SIGKILL at a random moment, restarts it on the same state directory, and checks that
 * every increment that was answered 200 is there, that no more than the unanswered ones were
 * added, that the key-value and SQL halves of each event were committed together, and that every
 * SQLite file passes {@code PRAGMA integrity_check}. A third of the requests touch a new object
 * each, whose first write makes its file whole: each one answered must be there with its count
 * of one, each cut off must be there with one or not at all.
 *
 * <p>Longer: {@code -Ddurable.crash.rounds=50}; another schedule: {@code -Ddurable.crash.seed=N}.
 */
class KillNineTest {
  private static final List<String> COUNTERS = List.of("alpha", "beta", "gamma");
  private static final int CLIENTS = 6;

  @TempDir
  Path dir;

  /** New objects touched once: those answered, and those whose answer the kill cut off. */
  private static final class Touches {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
    final AtomicLong sequence = new AtomicLong();
  }

  /** What the test knows of one counter: its value when last read, and what happened since. */
  private static final class Ledger {
    long verified;
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong inDoubt = new AtomicLong();
    final AtomicLong highestAnswer = new AtomicLong();
  }

  @Test
  void everyAcknowledgedIncrementSurvivesKillNineAndEveryFileStaysIntact() throws Exception {
    int rounds = Integer.getInteger("durable.crash.rounds", 3);
    long seed = Long.getLong("durable.crash.seed", 20261108L);
    Random random = new Random(seed);
    Path config = CrashProject.writeTo(dir.resolve("project"));
    Path state = dir.resolve("state");
    Map<String, Ledger> ledgers = new LinkedHashMap<>();
    COUNTERS.forEach(n -> ledgers.put(n, new Ledger()));
    Touches touches = new Touches();
    long totalAcknowledged = 0;
    long totalInDoubt = 0;
    long totalApplied = 0;
    int databasesChecked = 0;

    for (int round = 1; round <= rounds; round++) {
      // Checked between the kill and the next start: a running emulator holds the lock of
      // every object database it has open.
      if (round > 1) {
        databasesChecked += StateFiles.assertAllIntact(state);
      }
      // Half the rounds evict idle objects quickly, so kills also land on eviction checkpoints.
      String idle = round % 2 == 0 ? "100ms" : "0";
      try (DevServerProcess emulator = DevServerProcess.start(config, CrashProject.classes(), state,
          "--idle-timeout", idle)) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        totalApplied += verify(http, emulator, ledgers, round);
        verifyTouches(http, emulator, touches, round);

        Load load = new Load(http, emulator.url(), ledgers, touches, random.nextLong());
        load.start();
        load.awaitAcknowledged(20);
        Thread.sleep(random.nextInt(600));
        emulator.kill();
        load.stop();
        assertThat(load.unexpected).as("answers other than 200 or a dropped connection in round %d", round)
            .isEmpty();
        for (Ledger l : ledgers.values()) {
          totalAcknowledged += l.acknowledged.get();
          totalInDoubt += l.inDoubt.get();
        }
      }
    }
    databasesChecked += StateFiles.assertAllIntact(state);
    try (DevServerProcess emulator = DevServerProcess.start(config, CrashProject.classes(), state)) {
      HttpClient http = HttpClient.newHttpClient();
      totalApplied += verify(http, emulator, ledgers, rounds + 1);
      verifyTouches(http, emulator, touches, rounds + 1);
      emulator.stop();
    }
    databasesChecked += StateFiles.assertAllIntact(state);
    assertThat(StateFiles.allFiles(state)).as("a graceful stop checkpoints every WAL away")
        .noneMatch(p -> p.toString().endsWith("-wal") && p.toFile().length() > 0);
    System.out.printf("kill -9: %d rounds survived (seed %d); %d increments acknowledged, all found;"
        + " %d in doubt at the kills, %d of them applied; %d new objects touched, all found, %d in"
        + " doubt; %d integrity checks passed%n", rounds, seed, totalAcknowledged, totalInDoubt,
        totalApplied, touches.acknowledged.size(), touches.inDoubt.size(), databasesChecked);
    assertThat(totalAcknowledged).as("the load reached the emulator").isPositive();
    assertThat(touches.acknowledged).as("the load touched new objects").isNotEmpty();
  }

  /**
   * Reads every counter, checks it against the ledger, and starts the ledger again from it;
   * returns how many in-doubt increments turned out to be applied.
   */
  private static long verify(HttpClient http, DevServerProcess emulator, Map<String, Ledger> ledgers,
      int round) throws IOException, InterruptedException {
    long applied = 0;
    for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
      Ledger l = e.getValue();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create(emulator.url() + "/counter/" + e.getKey())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET /counter/%s after restart %d: %s", e.getKey(), round, r.body())
          .isEqualTo(200);
      String[] parts = r.body().split(" ");
      long value = Long.parseLong(parts[0]);
      long rows = Long.parseLong(parts[1]);
      long floor = l.verified + l.acknowledged.get();
      long ceiling = floor + l.inDoubt.get();
      assertThat(rows).as("counter %s before round %d: the SQL rows and the key-value count are written"
          + " in one event and must agree", e.getKey(), round).isEqualTo(value);
      assertThat(value).as("counter %s before round %d: it was %d, then %d increments were answered 200"
              + " and %d were cut off by the kill", e.getKey(), round, l.verified, l.acknowledged.get(),
          l.inDoubt.get())
          .isBetween(floor, ceiling)
          .isGreaterThanOrEqualTo(l.highestAnswer.get());
      applied += value - floor;
      l.verified = value;
      l.acknowledged.set(0);
      l.inDoubt.set(0);
    }
    return applied;
  }

  /**
   * Reads every new object touched so far: one answered must count one; one cut off by a kill
   * counts one or zero (then its next reading must agree, so it counts as answered from now).
   */
  private static void verifyTouches(HttpClient http, DevServerProcess emulator, Touches touches, int round)
      throws IOException, InterruptedException {
    for (String name : touches.acknowledged) {
      assertThat(touchCount(http, emulator, name)).as("new object %s, answered, before round %d", name, round)
          .isEqualTo("1");
    }
    for (String name : List.copyOf(touches.inDoubt)) {
      String count = touchCount(http, emulator, name);
      assertThat(count).as("new object %s, cut off by the kill, before round %d", name, round).isIn("0", "1");
      if (count.equals("1")) {
        touches.inDoubt.remove(name);
        touches.acknowledged.add(name);
      }
    }
  }

  private static String touchCount(HttpClient http, DevServerProcess emulator, String name)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.url() + "/touch/" + name))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET /touch/%s: %s", name, r.body()).isEqualTo(200);
    return r.body().trim();
  }

  /** Clients posting increments as fast as answers come, until stopped. */
  private static final class Load {
    private final HttpClient http;
    private final String url;
    private final Map<String, Ledger> ledgers;
    private final Touches touches;
    private final long seed;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    Load(HttpClient http, String url, Map<String, Ledger> ledgers, Touches touches, long seed) {
      this.http = http;
      this.url = url;
      this.ledgers = ledgers;
      this.touches = touches;
      this.seed = seed;
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        Random random = new Random(seed + i);
        threads.add(Thread.ofPlatform().name("load-" + i).start(() -> run(random)));
      }
    }

    private void run(Random random) {
      while (!stopping.get()) {
        if (random.nextInt(3) == 0 && !touchNew()) {
          return;
        }
        String name = COUNTERS.get(random.nextInt(COUNTERS.size()));
        Ledger l = ledgers.get(name);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/counter/" + name))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            l.acknowledged.incrementAndGet();
            l.highestAnswer.accumulateAndGet(Long.parseLong(r.body().trim()), Math::max);
          } else {
            unexpected.add("POST /counter/" + name + " -> " + r.statusCode() + " " + r.body());
            return;
          }
        } catch (ConnectException e) {
          return; // refused: the process is gone and the request never reached it
        } catch (IOException e) {
          l.inDoubt.incrementAndGet(); // sent, but the answer was cut off: applied or not
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Touches a new object once; false when the process is gone (stop this client). */
    private boolean touchNew() {
      String name = "t" + touches.sequence.incrementAndGet();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/touch/" + name))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().trim().equals("1")) {
          touches.acknowledged.add(name);
          return true;
        }
        unexpected.add("POST /touch/" + name + " -> " + r.statusCode() + " " + r.body());
        return false;
      } catch (ConnectException e) {
        return false;
      } catch (IOException e) {
        touches.inDoubt.add(name);
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    void awaitAcknowledged(long count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ledgers.values().stream().mapToLong(l -> l.acknowledged.get()).sum() < count) {
        if (System.nanoTime() > deadline || !unexpected.isEmpty()) {
          throw new AssertionError("The load got fewer than " + count + " answers within 60 s;"
              + " unexpected answers: " + unexpected);
        }
        Thread.sleep(5);
      }
    }

    void stop() throws InterruptedException {
      stopping.set(true);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(60));
        assertThat(t.isAlive()).as("%s still running 60 s after the kill", t.getName()).isFalse();
      }
    }
  }
}
