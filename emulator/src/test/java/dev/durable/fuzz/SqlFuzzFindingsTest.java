package dev.durable.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectException;
import dev.durable.SqlException;
import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.storage.sql.SqlPolicy;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQL fuzzer found, kept as plain cases so a regression names itself. */
class SqlFuzzFindingsTest {
  @TempDir
  Path dir;
  private DurableRuntime runtime;
  private ObjectNamespace ns;

  @BeforeEach
  void start() {
    runtime = DurableRuntime.builder().bind("FUZZ", SqlFuzzTest.Target.class)
        .idleTimeout(Duration.ZERO).stateDirectory(dir).build();
    ns = ((ObjectNamespace) runtime.namespace("FUZZ"));
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private Object exec(String sql) {
    ObjectHandle h = ns.handle(ns.idFromName("x"));
    return h.run(obj -> h.storage().sql().exec(sql).toList(), true);
  }

  @Test
  void aNulCharacterIsRefusedClearlyAndTheObjectStillEvicts() {
    exec("CREATE TABLE t (a)");
    for (String sql : new String[] {"\0", "\0DROP TABLE t", "INSERT INTO t VALUES (1); \0 DELETE FROM t"}) {
      assertThatThrownBy(() -> exec(sql)).as("%s", sql.replace("\0", "\\0")).isInstanceOf(SqlException.class)
          .hasMessageStartingWith("SQL text contains a NUL character at offset")
          .hasMessageEndingWith(": SQLITE_ERROR");
    }
    assertThat(exec("SELECT count(*) AS n FROM t")).asString().isEqualTo("[{n=0}]");
    // An empty prepared statement in the cache used to make closing the database throw.
    ns.handle(ns.idFromName("x")).evict();
    assertThat(exec("SELECT count(*) AS n FROM t")).asString().isEqualTo("[{n=0}]");
  }

  @Test
  void anUnterminatedQuoteAtTheEndIsASyntaxErrorNotACrashOfThePolicyCheck() {
    for (String sql : new String[] {"ISERT INTO \"", "ALTER TABLE t ADD COLUMN a`", "PRAGMA foreign_keys =`",
        "SELECT * FROM [", "SELECT 1 FROM \"_cf_KV"}) {
      assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SqlException.class)
          .hasMessageMatching("(?s).+: SQLITE_(ERROR|AUTH)");
    }
  }

  @Test
  void anUnterminatedQuotedCfNameIsStillRefused() {
    assertThatThrownBy(() -> exec("DELETE FROM \"_cf_KV")).isInstanceOf(SqlException.class)
        .hasMessage("not authorized: SQLITE_AUTH");
  }

  @Test
  void theNameTableIsTheRuntimesOwnAndUserSqlCannotDropOrEditIt() {
    for (String sql : new String[] {"DROP TABLE __miniflare_do_name", "UPDATE __miniflare_do_name SET name = 'y'",
        "DELETE FROM \"__MINIFLARE_DO_NAME\"", "SELECT * FROM main.__miniflare_do_name",
        "ALTER TABLE __miniflare_do_name RENAME TO mine"}) {
      assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SqlException.class)
          .hasMessage("not authorized: SQLITE_AUTH");
    }
    ObjectHandle h = ns.handle(ns.idFromName("x"));
    String name = h.run(obj -> {
      try (var rs = h.database().connection().createStatement()
          .executeQuery("SELECT name FROM __miniflare_do_name")) {
        return rs.next() ? rs.getString(1) : null;
      }
    }, true);
    assertThat(name).isEqualTo("x");
  }

  @Test
  void rollbackConflictResolutionIsRefusedBecauseItWouldEndTheEventsTransaction() {
    exec("CREATE TABLE t (a UNIQUE)");
    exec("INSERT INTO t VALUES (1)");
    for (String sql : new String[] {"INSERT OR ROLLBACK INTO t VALUES (1)", "UPDATE OR ROLLBACK t SET a = 2",
        "CREATE TABLE u (a UNIQUE ON CONFLICT ROLLBACK)",
        "CREATE TRIGGER tr BEFORE INSERT ON t BEGIN SELECT RAISE(ROLLBACK, 'no'); END"}) {
      assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SqlException.class)
          .hasMessage(SqlPolicy.NO_ROLLBACK_RESOLUTION)
          .satisfies(e -> assertThat(((SqlException) e).code()).isEqualTo("SQLITE_AUTH"));
    }
    assertThat(exec("SELECT a FROM t")).asString().isEqualTo("[{a=1}]");
    assertThat(exec("SELECT 'ROLLBACK' AS \"rollback\"")).asString().isEqualTo("[{rollback=ROLLBACK}]");
  }

  @Test
  void aStatementThatFailedGivesTheSameErrorTheSecondTime() {
    exec("CREATE TABLE t (a)");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> exec("INSERT INTO t VALUES (randomblob(3000000))")).as("attempt %d", i + 1)
          .hasMessage("string or blob too big: SQLITE_TOOBIG");
    }
    assertThat(exec("SELECT count(*) AS n FROM t")).asString().isEqualTo("[{n=0}]");
  }

  @Test
  void anObjectWhoseTransactionSqliteRolledBackFailsThatEventAndThenWorksAgain() {
    ObjectHandle h = ns.handle(ns.idFromName("x"));
    h.run(obj -> {
      h.storage().put("kept", 1);
      return null;
    }, true);
    // What SQLite does by itself after a full disk or an I/O error: the transaction is gone.
    assertThatThrownBy(() -> h.run(obj -> {
      h.storage().sql().exec("CREATE TABLE lost (a)");
      h.storage().put("lost", 1);
      h.storage().sync();
      h.database().connection().createStatement().execute("ROLLBACK");
      return null;
    }, true)).isInstanceOf(DurableObjectException.class).hasMessageContaining("was reset to its last committed state");
    ObjectHandle again = ns.handle(ns.idFromName("x"));
    Integer kept = again.run(obj -> again.storage().get("kept", Integer.class).orElse(null), true);
    assertThat(kept).isEqualTo(1);
    Boolean lost = again.run(obj -> again.storage().get("lost", Integer.class).isPresent(), true);
    assertThat(lost).isFalse();
    again.run(obj -> {
      again.storage().put("after", 2);
      return null;
    }, true);
    Integer after = again.run(obj -> again.storage().get("after", Integer.class).orElse(null), true);
    assertThat(after).isEqualTo(2);
    assertThat(exec("SELECT count(*) AS n FROM sqlite_master WHERE name = 'lost'")).asString().isEqualTo("[{n=0}]");
  }

  @Test
  void aStatementFailingWithFailConflictResolutionKeepsNoneOfItsChanges() {
    exec("CREATE TABLE u (a UNIQUE)");
    exec("INSERT INTO u VALUES (1)");
    assertThatThrownBy(() -> exec("INSERT OR FAIL INTO u VALUES (5), (6), (1)"))
        .hasMessage("UNIQUE constraint failed: u.a: SQLITE_CONSTRAINT");
    exec("CREATE TABLE f (a UNIQUE ON CONFLICT FAIL)");
    exec("INSERT INTO f VALUES (1)");
    assertThatThrownBy(() -> exec("INSERT INTO f VALUES (7), (1)")).hasMessageEndingWith("SQLITE_CONSTRAINT");
    exec("CREATE TRIGGER no_three BEFORE INSERT ON u WHEN new.a = 3 BEGIN SELECT RAISE(FAIL, 'no threes'); END");
    assertThatThrownBy(() -> exec("INSERT INTO u VALUES (2), (3)")).hasMessage("no threes: SQLITE_CONSTRAINT");
    assertThat(exec("SELECT (SELECT group_concat(a) FROM u) AS u, (SELECT group_concat(a) FROM f) AS f"))
        .asString().isEqualTo("[{u=1, f=1}]");
  }
}
