package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectStorage;
import dev.durable.SqlException;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement that never ends (an unbounded recursive CTE) is stopped after the SQL time limit and
 * when the runtime closes; its object goes on serving with its committed state.
 */
class RunawayStatementTest {
  private static final String FOREVER =
      "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r";
  private static final String WRITE_FOREVER = "INSERT INTO t(v) WITH RECURSIVE r(i) AS"
      + " (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT i FROM r";

  @TempDir
  Path dir;
  private DurableRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aRunawayQueryIsStoppedAtTheTimeLimitWithAClearError() {
    runtime = RuntimeTestSupport.onDisk(dir).sqlTimeLimit(Duration.ofMillis(300)).build();
    inObject(runtime, "COUNTER", "q", s -> {
      s.put("kept", 1);
      return null;
    });

    assertThatThrownBy(() -> inObject(runtime, "COUNTER", "q", s -> s.sql().exec(FOREVER).toList()))
        .isInstanceOf(SqlException.class)
        .hasMessageStartingWith("SQL statement stopped: it ran longer than the limit of 0.3s")
        .hasMessageContaining("--sql-time-limit")
        .hasMessageEndingWith(": SQLITE_INTERRUPT");

    Optional<Integer> kept = inObject(runtime, "COUNTER", "q", s -> s.get("kept", Integer.class));
    assertThat(kept).as("the object's committed state, read by its next event").contains(1);
  }

  @Test
  void aRunawayWriteIsStoppedAndLeavesTheObjectAsItWas() {
    runtime = RuntimeTestSupport.onDisk(dir).sqlTimeLimit(Duration.ofMillis(300)).build();
    inObject(runtime, "COUNTER", "w", s -> {
      s.sql().exec("CREATE TABLE t(v INTEGER)");
      s.sql().exec("INSERT INTO t(v) VALUES (1)");
      return null;
    });

    // SQLite rolls back the open transaction with an interrupted write, so the batch fails as
    // a failed commit does: the caller hears why, the object restarts from its committed state.
    assertThatThrownBy(() -> inObject(runtime, "COUNTER", "w", s -> s.sql().exec(WRITE_FOREVER)))
        .hasMessageContaining("SQL statement stopped: it ran longer than the limit of 0.3s");

    long rows = inObject(runtime, "COUNTER", "w", s -> {
      s.sql().exec("INSERT INTO t(v) VALUES (2)");
      return count(s);
    });
    assertThat(rows).as("rows after the stopped write and one more insert").isEqualTo(2);
    runtime.close();
    runtime = RuntimeTestSupport.onDisk(dir).build();
    long after = inObject(runtime, "COUNTER", "w", RunawayStatementTest::count);
    assertThat(after).as("rows after a restart").isEqualTo(2);
  }

  private static long count(DurableObjectStorage s) {
    return ((Number) s.sql().exec("SELECT count(*) AS n FROM t").one().get("n")).longValue();
  }

  @Test
  void closingTheRuntimeStopsARunawayStatementInsteadOfWaitingForIt() throws Exception {
    runtime = RuntimeTestSupport.onDisk(dir).sqlTimeLimit(Duration.ZERO).build(); // no limit
    CountDownLatch started = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<Object> runaway = CompletableFuture.supplyAsync(() ->
        inObject(runtime, "COUNTER", "stuck", s -> {
          started.countDown();
          return s.sql().exec(FOREVER).toList();
        }), threads);
    assertThat(started.await(60, TimeUnit.SECONDS)).as("the runaway event started").isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(runtime::close, threads);
    try {
      closing.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("close() still waits for the runaway statement after 60 s");
    } finally {
      threads.shutdown();
    }
    runtime = null;

    assertThatThrownBy(runaway::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(SqlException.class)
        .hasMessage("SQL statement stopped: the emulator is shutting down: SQLITE_INTERRUPT");
  }
}
