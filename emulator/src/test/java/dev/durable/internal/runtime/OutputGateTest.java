package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.internal.gate.OutputGate;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGateTest {
  @TempDir
  Path dir;
  private DurableRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  public interface LedgerApi {
    long add(long amount);

    void addOrphan();

    long total();
  }

  /** A ledger in SQL with a deferred foreign key, so a bad write only fails at commit. */
  public static class Ledger extends DurableObject implements LedgerApi {
    static final AtomicInteger constructed = new AtomicInteger();

    public Ledger(DurableObjectState ctx, Env env) {
      super(ctx, env);
      constructed.incrementAndGet();
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS account(id INTEGER PRIMARY KEY);"
          + " INSERT OR IGNORE INTO account VALUES (1);"
          + " CREATE TABLE IF NOT EXISTS entry(account INTEGER REFERENCES account(id)"
          + " DEFERRABLE INITIALLY DEFERRED, amount INTEGER)");
    }

    @Override
    public long add(long amount) {
      ctx.storage().sql().exec("INSERT INTO entry VALUES (1, ?)", amount);
      return total();
    }

    @Override
    public void addOrphan() {
      ctx.storage().sql().exec("INSERT INTO entry VALUES (999, 1000)");
    }

    @Override
    public long total() {
      return (Long) ctx.storage().sql().exec("SELECT coalesce(sum(amount), 0) AS t FROM entry")
          .one().get("t");
    }
  }

  /** What another connection reads: the runtime shares its files for it. */
  private long committedTotal() throws Exception {
    Path file = ((ObjectNamespace) runtime.namespace("LEDGER")).objectFile(((ObjectNamespace) runtime.namespace("LEDGER")).idFromName("l"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(sum(amount), 0) FROM entry")) {
      return rs.getLong(1);
    }
  }

  @Test
  void aResponseIsReleasedOnlyAfterItsWriteIsCommitted() throws Exception {
    runtime = DurableRuntime.builder().stateDirectory(dir).shareDatabaseFiles(true)
        .bind("LEDGER", Ledger.class).build();
    LedgerApi ledger = runtime.env().durableObject("LEDGER").getByName("l", LedgerApi.class);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> {
          long seen = ledger.add(1);
          return new long[] {seen, committedTotal()};
        }));
      }
      for (Future<long[]> f : results) {
        long[] r = f.get(30, TimeUnit.SECONDS);
        assertThat(r[1]).as("another connection sees the write once the response is out")
            .isGreaterThanOrEqualTo(r[0]);
      }
    }
    assertThat(committedTotal()).isEqualTo(200);
  }

  @Test
  void aFailingCommitFailsTheCallerResetsTheObjectAndKeepsTheLastCommittedState() throws Exception {
    runtime = DurableRuntime.builder().stateDirectory(dir).shareDatabaseFiles(true)
        .bind("LEDGER", Ledger.class).build();
    LedgerApi ledger = runtime.env().durableObject("LEDGER").getByName("l", LedgerApi.class);
    ledger.add(5);
    int before = Ledger.constructed.get();
    assertThatThrownBy(ledger::addOrphan)
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("Storage commit of app-Ledger/'l' failed")
        .hasMessageContaining("FOREIGN KEY constraint failed");
    assertThat(committedTotal()).isEqualTo(5);
    assertThat(ledger.total()).isEqualTo(5);
    assertThat(Ledger.constructed.get()).as("the object was reset and built again").isEqualTo(before + 1);
  }

  @Test
  void injectedCommitFailureReachesTheCaller() throws Exception {
    runtime = DurableRuntime.builder().stateDirectory(dir).shareDatabaseFiles(true)
        .bind("LEDGER", Ledger.class).build();
    LedgerApi ledger = runtime.env().durableObject("LEDGER").getByName("l", LedgerApi.class);
    ledger.add(7);
    runtime.tools().failNextCommit(runtime.namespace("LEDGER").getByName("l"), "disk on fire");
    assertThatThrownBy(() -> ledger.add(1)).hasMessageContaining("disk on fire");
    assertThat(ledger.total()).isEqualTo(7);
    assertThat(committedTotal()).isEqualTo(7);
  }

  @Test
  void afterReleaseRunsOnceWhenTheOutputOfACommitHasAllBeenReleased() {
    runtime = DurableRuntime.builder().stateDirectory(dir).shareDatabaseFiles(true)
        .bind("LEDGER", Ledger.class).build();
    ObjectNamespace ns = ((ObjectNamespace) runtime.namespace("LEDGER"));
    ObjectHandle handle = ns.handle(ns.idFromName("l"));
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    Runnable flush = () -> seen.add("flush");
    for (boolean writes : new boolean[] {true, false}) {
      seen.clear();
      handle.run(obj -> {
        if (writes) {
          handle.storage().put("k", 1);
        }
        for (int i = 0; i < 3; i++) {
          String message = "m" + i;
          OutputGate.release(() -> {
            seen.add(message);
            OutputGate.afterRelease(flush);
          });
        }
        seen.add("event ends");
        return null;
      }, false);
      assertThat(seen).as("writes: " + writes).containsExactly("event ends", "m0", "m1", "m2", "flush");
    }
    seen.clear();
    OutputGate.afterRelease(flush);
    assertThat(seen).as("outside a release it runs at once").containsExactly("flush");
  }
}
