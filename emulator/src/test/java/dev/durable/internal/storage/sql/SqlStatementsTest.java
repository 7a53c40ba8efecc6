package dev.durable.internal.storage.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {
  private static List<String> texts(String sql) {
    return SqlStatements.split(sql).stream().map(SqlStatements.Statement::text).toList();
  }

  @Test
  void semicolonsInsideQuotesAndCommentsDoNotSplit() {
    assertThat(texts("SELECT 'a;b'; SELECT \"c;d\" FROM `e;f` JOIN [g;h]; -- x;y\nSELECT /* ; */ 1"))
        .containsExactly("SELECT 'a;b'", "SELECT \"c;d\" FROM `e;f` JOIN [g;h]", "SELECT /* ; */ 1");
    assertThat(texts("SELECT 'it''s; fine'")).containsExactly("SELECT 'it''s; fine'");
  }

  @Test
  void emptyStatementsAreDroppedAndOffsetsKept() {
    List<SqlStatements.Statement> st = SqlStatements.split(" ;; SELECT 1 ;\n  SELECT 2; -- only a comment\n");
    assertThat(st).extracting(SqlStatements.Statement::text).containsExactly("SELECT 1 ", "SELECT 2");
    assertThat(st).extracting(SqlStatements.Statement::offset).containsExactly(4, 17);
    assertThat(SqlStatements.split("  -- nothing\n /* at all */ ")).isEmpty();
  }

  @Test
  void triggerBodiesWithNestedCaseStayWhole() {
    String trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN"
        + " UPDATE b SET x = CASE WHEN new.y > 0 THEN 1 ELSE 0 END; INSERT INTO c VALUES (1); END";
    assertThat(texts(trigger + "; SELECT 1")).containsExactly(trigger, "SELECT 1");
  }

  @Test
  void policyRefusesWhatCloudflareRefuses() {
    for (String sql : List.of("DELETE FROM _cf_KV", "insert into \"_CF_kv\" values (1, 2)", "ATTACH 'x' AS y",
        "DETACH y", "CREATE TEMP TABLE t(x)", "CREATE TEMPORARY VIEW v AS SELECT 1",
        "SELECT * FROM temp.t", "SELECT * FROM sqlite_temp_master", "PRAGMA journal_mode",
        "PRAGMA temp.table_info(t)", "VACUUM")) {
      assertThatThrownBy(() -> SqlPolicy.check(SqlStatements.split(sql).get(0))).as(sql)
          .hasMessage(SqlPolicy.NOT_AUTHORIZED);
    }
    for (String sql : List.of("BEGIN", "begin transaction", "COMMIT", "END", "ROLLBACK",
        "SAVEPOINT s", "RELEASE s")) {
      assertThatThrownBy(() -> SqlPolicy.check(SqlStatements.split(sql).get(0))).as(sql)
          .hasMessage(SqlPolicy.USE_TRANSACTION_API);
    }
  }

  @Test
  void readingTheKeyValueTableIsRefusedInCloudflaresWordsNamingTheColumnRead() {
    assertThatThrownBy(() -> SqlPolicy.check(SqlStatements.split("SELECT * FROM _cf_KV").get(0)))
        .hasMessage("access to _cf_KV.key is prohibited: SQLITE_AUTH");
    assertThatThrownBy(() -> SqlPolicy.check(SqlStatements.split("select value from \"_CF_kv\"").get(0)))
        .hasMessage("access to _cf_KV.value is prohibited: SQLITE_AUTH");
    assertThatThrownBy(() -> SqlPolicy.check(SqlStatements.split("SELECT * FROM _cf_ALARM").get(0)))
        .hasMessage(SqlPolicy.NOT_AUTHORIZED);
  }

  @Test
  void policyAllowsOrdinaryStatementsAndTheAllowListedPragmas() {
    for (String sql : List.of("SELECT '_cf_KV'", "SELECT * FROM my_cf_table", "PRAGMA table_info(t)",
        "PRAGMA main.table_list", "PRAGMA foreign_keys = ON", "CREATE TABLE temperature(x)",
        "SELECT temp FROM t", "CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END")) {
      assertThatCode(() -> SqlPolicy.check(SqlStatements.split(sql).get(0))).as(sql)
          .doesNotThrowAnyException();
    }
  }
}
