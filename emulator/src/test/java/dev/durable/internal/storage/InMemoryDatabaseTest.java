package dev.durable.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An object's in-memory database starts out exactly as its file would: same tables, name and pragmas. */
class InMemoryDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void aNamedObjectsInMemoryDatabaseHasTheSchemaNameAndPragmasOfAFreshFile() throws SQLException {
    ObjectDatabase memory = new ObjectDatabase(null, "counter 'a'", ObjectDatabase.Tracker.NONE, false);
    ObjectDatabase file = new ObjectDatabase(dir.resolve("a.sqlite"), "counter 'a'", ObjectDatabase.Tracker.NONE, false);
    try {
      assertThat(describe(memory.connection())).isEqualTo(describe(file.connection()));
      assertThat(rows(memory.connection(), "SELECT id, name FROM __miniflare_do_name"))
          .containsExactly("0|counter 'a'");
    } finally {
      memory.discard();
      file.discard();
    }
  }

  @Test
  void anUnnamedObjectsInMemoryDatabaseHasOnlyTheKeyValueTable() throws SQLException {
    ObjectDatabase memory = new ObjectDatabase(null, null, ObjectDatabase.Tracker.NONE, false);
    try {
      assertThat(rows(memory.connection(), "SELECT name FROM sqlite_master ORDER BY name")).containsExactly("_cf_KV");
      assertThat(rows(memory.connection(), "PRAGMA foreign_keys")).containsExactly("1");
    } finally {
      memory.discard();
    }
  }

  @Test
  void anInMemoryDatabaseIsOutsideAnyTransactionOnceOpen() throws SQLException {
    ObjectDatabase memory = new ObjectDatabase(null, "x", ObjectDatabase.Tracker.NONE, false);
    try {
      memory.beginTurn();
      memory.prepare("INSERT INTO _cf_KV (key, value) VALUES ('k', x'01')").executeUpdate();
      memory.endTurn(true);
      memory.commit();
      assertThat(memory.hasUncommitted()).isFalse();
      assertThat(rows(memory.connection(), "SELECT key FROM _cf_KV")).containsExactly("k");
    } finally {
      memory.discard();
    }
  }

  private static List<String> describe(Connection c) throws SQLException {
    List<String> all = new ArrayList<>(rows(c, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"));
    for (String pragma : List.of("foreign_keys", "cache_size", "journal_size_limit", "page_size", "encoding",
        "auto_vacuum", "user_version", "application_id")) {
      all.add(pragma + "=" + rows(c, "PRAGMA " + pragma));
    }
    return all;
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(rs.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
