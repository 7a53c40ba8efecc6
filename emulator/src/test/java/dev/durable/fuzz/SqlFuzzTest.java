package dev.durable.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.SqlException;
import dev.durable.internal.runtime.ObjectHandle;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.storage.sql.SqlPolicy;
import dev.durable.runtime.DurableRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random SQL through {@code ctx.storage().sql().exec}: every call either succeeds or fails with a
 * {@link SqlException} whose message reads as Cloudflare's; a failed call leaves the database
 * exactly as it was (schema, every row, the runtime's own tables), even though the event that
 * made it goes on and commits; the object keeps working, across eviction too.
 *
 * <p>Longer: {@code -Ddurable.fuzz.cases=100000}; another sequence: {@code -Ddurable.fuzz.seed=N}.
 */
class SqlFuzzTest {
  private static final Set<String> KNOWN_MESSAGES = Set.of(SqlPolicy.USE_TRANSACTION_API,
      "Wrong number of parameter bindings for SQL query.",
      "Only the last statement of a multi-statement query may have parameter bindings.");

  @TempDir
  Path dir;

  /** An object that does nothing by itself: the test drives its storage inside its events. */
  public static class Target extends DurableObject {
    public Target(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  private record Outcome(Throwable error, String before, String after, String internalBefore,
      String internalAfter) {}

  @Test
  void randomSqlFailsCleanlyAndRefusedStatementsChangeNothing() throws Exception {
    int cases = Integer.getInteger("durable.fuzz.cases", 3000);
    long seed = Long.getLong("durable.fuzz.seed", 8L);
    SqlGrammar grammar = new SqlGrammar(seed);
    List<String> problems = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    try (DurableRuntime runtime = DurableRuntime.builder().bind("FUZZ", Target.class)
        .idleTimeout(Duration.ZERO).stateDirectory(dir).build()) {
      ObjectNamespace ns = ((ObjectNamespace) runtime.namespace("FUZZ"));
      for (int i = 1; i <= cases; i++) {
        String sql = grammar.next();
        Object[] bindings = grammar.bindings();
        ObjectHandle handle = ns.handle(ns.idFromName("fuzz"));
        Outcome o;
        try {
          o = handle.run(obj -> {
            Connection c = handle.database().connection();
            String before = userDigest(c);
            String internalBefore = internalDigest(c);
            Throwable error = null;
            try {
              handle.storage().sql().exec(sql, bindings).toList();
            } catch (Throwable t) {
              error = t;
            }
            return new Outcome(error, before, userDigest(c), internalBefore, internalDigest(c));
          }, true);
        } catch (RuntimeException e) {
          problems.add(describe(i, sql) + "\n    the event itself failed: " + e);
          continue;
        }
        String problem = judge(o);
        if (problem != null) {
          problems.add(describe(i, sql) + "\n    " + problem);
        }
        String code = o.error() == null ? "ok" : o.error() instanceof SqlException e ? e.code()
            : o.error().getClass().getSimpleName();
        outcomes.merge(code, 1, Integer::sum);
        if (i % 100 == 0) {
          String broken = evictsAndReopens(ns);
          if (broken == null) {
            broken = stillWorks(ns, i);
          }
          if (broken != null) {
            problems.add("after case " + i + ": " + broken);
          }
        }
      }
      ObjectHandle handle = ns.handle(ns.idFromName("fuzz"));
      String beforeEviction = handle.run(obj -> userDigest(handle.database().connection()), true);
      handle.evict();
      ObjectHandle reopened = ns.handle(ns.idFromName("fuzz"));
      String afterReopening = reopened.run(obj -> userDigest(reopened.database().connection()), true);
      assertThat(afterReopening).as("the database reads the same after eviction and reopening")
          .isEqualTo(beforeEviction);
      String integrity = reopened.run(obj -> pragma(reopened.database().connection(), "integrity_check"), false);
      assertThat(integrity).isEqualTo("ok");
    }
    System.out.printf("SQL fuzz: %d cases (seed %d), outcomes by code %s, %d problems%n",
        cases, seed, outcomes, problems.size());
    assertThat(problems.subList(0, Math.min(20, problems.size())))
        .as("cases that broke a rule (first 20 of %d)", problems.size()).isEmpty();
    assertThat(outcomes.getOrDefault("ok", 0)).as("some statements succeed").isPositive();
    assertThat(outcomes.getOrDefault("SQLITE_AUTH", 0)).as("some statements are refused").isPositive();
  }

  /** Null when the outcome keeps the rules, else what was wrong. */
  private static String judge(Outcome o) {
    if (!o.internalBefore().equals(o.internalAfter())) {
      return "the runtime's own tables (_cf_KV, __miniflare_do_name) changed"
          + (o.error() == null ? "" : "; error: " + o.error());
    }
    if (o.error() == null) {
      return null;
    }
    if (!(o.error() instanceof SqlException e)) {
      return "threw " + o.error() + " instead of a SqlException";
    }
    String m = e.getMessage();
    if (e.code() == null || !e.code().matches("SQLITE_[A-Z]+")) {
      return "SqlException with code " + e.code() + ": " + m;
    }
    if (m == null || m.isBlank() || m.contains("[SQLITE_")
        || !(m.matches("(?s).*\\S.*: SQLITE_[A-Z]+") || KNOWN_MESSAGES.contains(m))) {
      return "message does not read as Cloudflare's '<message>: SQLITE_<CODE>': " + m;
    }
    if (!o.before().equals(o.after())) {
      return "the statement failed (" + m + ") but the database changed";
    }
    return null;
  }

  /** Null when the object closes its database and reopens it to the same contents. */
  private static String evictsAndReopens(ObjectNamespace ns) {
    try {
      ObjectHandle h = ns.handle(ns.idFromName("fuzz"));
      String before = h.run(obj -> userDigest(h.database().connection()), true);
      h.evict();
      ObjectHandle reopened = ns.handle(ns.idFromName("fuzz"));
      String after = reopened.run(obj -> userDigest(reopened.database().connection()), true);
      return before.equals(after) ? null : "the database changed across eviction";
    } catch (RuntimeException e) {
      return "eviction failed: " + e;
    }
  }

  /** Null when a write and a read in fresh events work and the database checks out. */
  private static String stillWorks(ObjectNamespace ns, int i) {
    try {
      ObjectHandle h = ns.handle(ns.idFromName("fuzz"));
      h.run(obj -> {
        h.storage().put("canary", i);
        return null;
      }, true);
      long read = h.run(obj -> h.storage().get("canary", Long.class).orElse(-1L), true);
      if (read != i) {
        return "canary read back " + read + " instead of " + i;
      }
      String check = h.run(obj -> {
        Object v = h.storage().sql().exec("PRAGMA quick_check").one().values().iterator().next();
        return String.valueOf(v);
      }, true);
      return check.equals("ok") ? null : "quick_check: " + check;
    } catch (RuntimeException e) {
      return "the object no longer works: " + e;
    }
  }

  private static String describe(int i, String sql) {
    String shown = sql.length() > 300 ? sql.substring(0, 300) + "...(" + sql.length() + " chars)" : sql;
    return "case " + i + ": " + shown.replace("\0", "\\0");
  }

  /** A hash of the schema and every row of every user table. */
  static String userDigest(Connection c) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    List<String> tables = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master"
            + " WHERE name NOT IN ('_cf_KV', '__miniflare_do_name') ORDER BY type, name")) {
      while (rs.next()) {
        md.update((rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "\n")
            .getBytes(StandardCharsets.UTF_8));
        if (rs.getString(1).equals("table")) {
          tables.add(rs.getString(2));
        }
      }
    }
    for (String table : tables) {
      md.update(rowsOf(c, table).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String internalDigest(Connection c) throws SQLException {
    return rowsOf(c, "_cf_KV") + "#" + rowsOf(c, "__miniflare_do_name");
  }

  private static String rowsOf(Connection c, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int col = 1; col <= n; col++) {
          Object v = rs.getObject(col);
          row.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)).append('|');
        }
        rows.add(row.toString());
      }
    }
    rows.sort(null);
    return table + ":" + String.join("\n", rows);
  }

  private static String pragma(Connection c, String pragma) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
