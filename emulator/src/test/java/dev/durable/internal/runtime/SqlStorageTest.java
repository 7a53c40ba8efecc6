package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.SqlCursor;
import dev.durable.SqlException;
import dev.durable.SqlStorage;
import dev.durable.internal.storage.sql.SqlPolicy;
import dev.durable.runtime.DurableRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SqlStorageTest {
  private final DurableRuntime runtime = RuntimeTestSupport.inMemory().build();

  @AfterEach
  void close() {
    runtime.close();
  }

  private <T> T sql(SqlBody<T> body) {
    return inObject(runtime, "COUNTER", "sql", s -> body.run(s.sql()));
  }

  interface SqlBody<T> {
    T run(SqlStorage sql) throws Exception;
  }

  @Test
  void cursorGivesRowsColumnsAndCounts() {
    sql(sql -> {
      sql.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)");
      SqlCursor insert = sql.exec("INSERT INTO t(name, score, data) VALUES (?, ?, ?), (?, ?, ?)",
          "a", 1.5, new byte[] {1, 2}, "b", null, null);
      assertThat(insert.rowsWritten()).isEqualTo(2);
      SqlCursor c = sql.exec("SELECT id, name, score, data FROM t ORDER BY id");
      assertThat(c.columnNames()).containsExactly("id", "name", "score", "data");
      Map<String, Object> first = c.next();
      assertThat(first.get("id")).isEqualTo(1L);
      assertThat(first.get("score")).isEqualTo(1.5);
      assertThat((byte[]) first.get("data")).containsExactly(1, 2);
      List<Map<String, Object>> rest = c.toList();
      assertThat(rest).hasSize(1);
      assertThat(rest.get(0)).containsEntry("name", "b").containsEntry("score", null);
      assertThat(c.rowsRead()).isEqualTo(2);
      List<Object[]> raw = sql.exec("SELECT name, id FROM t ORDER BY id").raw();
      assertThat(raw).hasSize(2);
      assertThat(raw.get(1)).containsExactly("b", 2L);
      return null;
    });
  }

  @Test
  void oneRequiresExactlyOneRow() {
    sql(sql -> {
      sql.exec("CREATE TABLE t(x)");
      assertThatThrownBy(() -> sql.exec("SELECT * FROM t").one())
          .hasMessage("Expected exactly one result from SQL query, but got no results.");
      sql.exec("INSERT INTO t VALUES (1), (2)");
      assertThatThrownBy(() -> sql.exec("SELECT * FROM t").one())
          .hasMessage("Expected exactly one result from SQL query, but got multiple results.");
      assertThat(sql.exec("SELECT count(*) AS n FROM t").one()).containsEntry("n", 2L);
      return null;
    });
  }

  @Test
  void severalStatementsRunInOrderAndTheCursorIsTheLastOnes() {
    sql(sql -> {
      SqlCursor c = sql.exec("CREATE TABLE a(x); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);"
          + " SELECT sum(x) AS s FROM a WHERE x > ?", 0);
      assertThat(c.one()).containsEntry("s", 2L + 1L);
      assertThatThrownBy(() -> sql.exec("INSERT INTO a VALUES (?); SELECT 1", 5))
          .isInstanceOf(SqlException.class);
      return null;
    });
  }

  @Test
  void aFailingStatementInABatchLeavesNothingBehind() {
    sql(sql -> {
      sql.exec("CREATE TABLE u(id INTEGER PRIMARY KEY)");
      assertThatThrownBy(() -> sql.exec("INSERT INTO u VALUES (1); INSERT INTO u VALUES (1)"))
          .isInstanceOf(SqlException.class)
          .hasMessage("UNIQUE constraint failed: u.id: SQLITE_CONSTRAINT")
          .satisfies(e -> assertThat(((SqlException) e).code()).isEqualTo("SQLITE_CONSTRAINT"));
      assertThat(sql.exec("SELECT count(*) AS n FROM u").one()).containsEntry("n", 0L);
      return null;
    });
  }

  @Test
  void sqliteErrorsReadLikeCloudflares() {
    sql(sql -> {
      assertThatThrownBy(() -> sql.exec("SELECT * FROM nope"))
          .hasMessage("no such table: nope: SQLITE_ERROR");
      assertThatThrownBy(() -> sql.exec("SELEC 1"))
          .hasMessage("near \"SELEC\": syntax error at offset 0: SQLITE_ERROR");
      assertThatThrownBy(() -> sql.exec("SELECT ?", 1, 2))
          .hasMessage("Wrong number of parameter bindings for SQL query.");
      assertThatThrownBy(() -> sql.exec("SELECT ?", new Object()))
          .hasMessageContaining("unsupported type java.lang.Object");
      return null;
    });
  }

  @Test
  void refusedStatementClassesAreRefusedBeforeRunning() {
    sql(sql -> {
      for (String refused : List.of("SELECT * FROM _cf_KV", "DELETE FROM _cf_KV",
          "ATTACH DATABASE 'x.db' AS x", "CREATE TEMP TABLE t(x)", "PRAGMA journal_mode = DELETE")) {
        assertThatThrownBy(() -> sql.exec(refused)).as(refused)
            .isInstanceOf(SqlException.class).hasMessageContaining("SQLITE_AUTH");
      }
      for (String txn : List.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "RELEASE s")) {
        assertThatThrownBy(() -> sql.exec(txn)).as(txn)
            .isInstanceOf(SqlException.class).hasMessageContaining("transaction()");
      }
      assertThat(sql.exec("PRAGMA table_list").toList()).isNotEmpty();
      assertThat(sql.exec("SELECT '_cf_KV' AS s").one()).containsEntry("s", "_cf_KV");
      // A pragma read as a table-valued function is held to the same allow-list: this one would
      // show the state directory's absolute path.
      assertThatThrownBy(() -> sql.exec("SELECT * FROM pragma_database_list"))
          .isInstanceOf(SqlException.class).hasMessage(SqlPolicy.NOT_AUTHORIZED);
      assertThatThrownBy(() -> sql.exec("SELECT file FROM main.\"pragma_database_list\""))
          .isInstanceOf(SqlException.class).hasMessage(SqlPolicy.NOT_AUTHORIZED);
      assertThat(sql.exec("SELECT name FROM pragma_table_list WHERE name = 'sqlite_schema'").toList())
          .hasSize(1);
      sql.exec("CREATE TABLE pragma_notes (pragma_note TEXT)");
      assertThat(sql.exec("SELECT pragma_note FROM pragma_notes").toList())
          .as("a user's names that only start like a pragma function").isEmpty();
      return null;
    });
  }

  @Test
  void cloudflareLimitsApply() {
    sql(sql -> {
      String longSql = "SELECT 1 " + " ".repeat(100_001);
      assertThatThrownBy(() -> sql.exec(longSql)).hasMessage("statement too long: SQLITE_TOOBIG");
      String params = "SELECT " + "?,".repeat(100) + "?";
      assertThatThrownBy(() -> sql.exec(params, new Object[101])).isInstanceOf(SqlException.class);
      String columns = "CREATE TABLE wide(" + String.join(", ",
          java.util.stream.IntStream.range(0, 101).mapToObj(i -> "c" + i).toList()) + ")";
      assertThatThrownBy(() -> sql.exec(columns)).hasMessageContaining("too many columns");
      sql.exec("CREATE TABLE b(v BLOB)");
      assertThatThrownBy(() -> sql.exec("INSERT INTO b VALUES (?)", new byte[2 * 1024 * 1024 + 1]))
          .hasMessageContaining("SQLITE_TOOBIG");
      return null;
    });
  }

  @Test
  void fullTextSearchWorks() {
    sql(sql -> {
      sql.exec("CREATE VIRTUAL TABLE notes USING fts5(body)");
      sql.exec("INSERT INTO notes(body) VALUES ('the quick brown fox'), ('lazy dogs sleep'), ('quick thinking')");
      List<Map<String, Object>> hits = sql.exec(
          "SELECT body FROM notes WHERE notes MATCH ? ORDER BY rank", "quick").toList();
      assertThat(hits).extracting(m -> m.get("body"))
          .containsExactlyInAnyOrder("the quick brown fox", "quick thinking");
      return null;
    });
  }

  @Test
  void databaseSizeCountsUsedPages() {
    sql(sql -> {
      long before = sql.databaseSize();
      sql.exec("CREATE TABLE big(x)");
      sql.exec("INSERT INTO big SELECT randomblob(1000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL"
          + " SELECT i + 1 FROM c WHERE i < 100) SELECT i FROM c)");
      assertThat(sql.databaseSize()).isGreaterThan(before + 100_000);
      return null;
    });
  }
}
