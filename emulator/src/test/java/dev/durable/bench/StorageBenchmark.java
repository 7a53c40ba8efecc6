package dev.durable.bench;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/**
 * Prints storage throughput: get+put turns per second on one object from 16 concurrent callers,
 * next to a bare sqlite-jdbc loop committing one get+upsert per transaction with the runtime's
 * default settings (WAL, synchronous=OFF), and empty RPC round trips per second. Not part of the
 * normal test run: {@code mvn -pl emulator -am test -Pbench -Dtest=StorageBenchmark}.
 */
@Tag("benchmark")
class StorageBenchmark {
  private static final Duration WARMUP = Duration.ofSeconds(3);
  private static final Duration MEASURE = Duration.ofSeconds(5);
  private static final int CALLERS = 16;

  public interface BenchApi {
    long increment();

    void noop();
  }

  /** get + put of one key per call. */
  public static class Bench extends DurableObject implements BenchApi {
    public Bench(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment() {
      long n = ctx.storage().get("n", Long.class).orElse(0L) + 1;
      ctx.storage().put("n", n);
      return n;
    }

    @Override
    public void noop() {}
  }

  @Test
  void printStorageThroughput() throws Exception {
    Path dir = Files.createTempDirectory("durable-bench");
    double bare = bareSqliteLoop(dir.resolve("bare.sqlite"));
    double turns;
    double rpcSequential;
    double rpcConcurrent;
    try (DurableRuntime rt = DurableRuntime.builder().stateDirectory(dir.resolve("state"))
        .bind("BENCH", Bench.class).build()) {
      BenchApi hot = rt.env().durableObject("BENCH").getByName("hot", BenchApi.class);
      turns = concurrent(CALLERS, i -> hot.increment());
      BenchApi quiet = rt.env().durableObject("BENCH").getByName("quiet", BenchApi.class);
      rpcSequential = concurrent(1, i -> quiet.noop());
      List<BenchApi> many = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        many.add(rt.env().durableObject("BENCH").getByName("rpc" + i, BenchApi.class));
      }
      rpcConcurrent = concurrent(CALLERS, i -> many.get(i).noop());
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "bare sqlite-jdbc get+upsert, one commit each : %,10.0f /s%n", bare);
    System.out.printf(Locale.ROOT, "durable get+put turns, 1 object, %d callers  : %,10.0f /s  (%.2fx bare)%n",
        CALLERS, turns, turns / bare);
    System.out.printf(Locale.ROOT, "empty RPC round trips, 1 caller             : %,10.0f /s%n", rpcSequential);
    System.out.printf(Locale.ROOT, "empty RPC round trips, %d callers/objects   : %,10.0f /s%n",
        CALLERS, rpcConcurrent);
  }

  private interface Call {
    void run(int caller) throws Exception;
  }

  private static double concurrent(int callers, Call call) throws Exception {
    run(callers, call, WARMUP);
    return run(callers, call, MEASURE) / (MEASURE.toNanos() / 1e9);
  }

  private static long run(int callers, Call call, Duration duration) throws Exception {
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int caller = i;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          while (!stop.get()) {
            call.run(caller);
            done.increment();
          }
        } catch (Throwable t) {
          synchronized (failures) {
            failures.add(t);
          }
        }
      }));
    }
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("benchmark calls failed", failures.get(0));
    }
    return done.sum();
  }

  private static double bareSqliteLoop(Path file) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
    try (Connection c = config.createConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
      try (PreparedStatement begin = c.prepareStatement("BEGIN");
          PreparedStatement commit = c.prepareStatement("COMMIT");
          PreparedStatement get = c.prepareStatement("SELECT value FROM kv WHERE key = ?");
          PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)")) {
        Call one = i -> {
          begin.execute();
          get.setString(1, "n");
          long n = 0;
          try (ResultSet rs = get.executeQuery()) {
            if (rs.next()) {
              n = Long.parseLong(new String(rs.getBytes(1)));
            }
          }
          put.setString(1, "n");
          put.setBytes(2, Long.toString(n + 1).getBytes());
          put.executeUpdate();
          commit.execute();
        };
        return concurrent(1, one);
      }
    }
  }
}
