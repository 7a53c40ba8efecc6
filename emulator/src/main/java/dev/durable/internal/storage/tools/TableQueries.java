package dev.durable.internal.storage.tools;

import dev.durable.internal.storage.SqlExecutor;
import dev.durable.runtime.ObjectTools.Column;
import dev.durable.runtime.ObjectTools.Index;
import dev.durable.runtime.ObjectTools.Table;
import dev.durable.runtime.ObjectView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What tools read of an object's user tables: their schema (columns with types, primary key,
 * indexes, the rowid's alias), row counts, every row in key order, and the statements that
 * rebuild their indexes, triggers and views. The runtime's own tables ({@code _cf_*},
 * {@code __miniflare_do_name}) and SQLite's are hidden.
 */
final class TableQueries {
  private static final Set<String> HIDDEN = Set.of("_cf_kv", "__miniflare_do_name");

  private TableQueries() {}

  /** The user tables and views, by name. */
  static List<Table> tables(Connection c) throws SQLException {
    List<String[]> listed = rows(c, "SELECT name, type, wr, strict FROM pragma_table_list"
        + " WHERE schema = 'main' ORDER BY name",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
    List<Table> out = new ArrayList<>();
    for (String[] t : listed) {
      if (!isHidden(t[0])) {
        out.add(describe(c, t[0], t[1], "1".equals(t[2]), "1".equals(t[3])));
      }
    }
    return out;
  }

  /** The number of rows of a table or view. */
  static long count(Connection c, Table t) throws SQLException {
    return rows(c, "SELECT count(*) FROM " + quote(t.name()), rs -> rs.getLong(1)).get(0);
  }

  static boolean isHidden(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("sqlite_") || lower.startsWith("_cf_") || HIDDEN.contains(lower);
  }

  /** A name as a SQL identifier. */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static Table describe(Connection c, String name, String type, boolean withoutRowid,
      boolean strict) throws SQLException {
    // hidden is 1 for a virtual table's hidden column, 2 or 3 for a generated one
    List<Column> columns = rows(c, "SELECT name, type, \"notnull\", dflt_value, pk, hidden"
        + " FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid",
        rs -> new Column(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getString(4),
            rs.getInt(5), rs.getInt(6) >= 2), name);
    List<Index> indexes = !type.equals("table") ? List.of() : rows(c, "SELECT name, \"unique\","
        + " origin, partial FROM pragma_index_list(?) ORDER BY name",
        rs -> new Index(rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getInt(4) == 1,
            indexColumns(c, rs.getString(1))), name);
    List<String> sql = rows(c, "SELECT sql FROM sqlite_schema WHERE name = ?",
        rs -> rs.getString(1), name);
    String rowidAlias = type.equals("table") && !withoutRowid
        ? Stream.of("rowid", "_rowid_", "oid")
            .filter(alias -> columns.stream().noneMatch(col -> col.name().equalsIgnoreCase(alias)))
            .findFirst().orElse(null)
        : null;
    return new Table(name, type, withoutRowid, strict, List.copyOf(columns), List.copyOf(indexes),
        sql.isEmpty() ? null : sql.get(0), rowidAlias);
  }

  /** Every row of a table in key order, all columns or only the stored ones. */
  static void readRows(Connection c, Table t, boolean storedColumnsOnly, ObjectView.RowReader reader)
      throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select(t, storedColumnsOnly))) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> names = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        names.add(md.getColumnLabel(i));
      }
      reader.columns(names);
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 1; i <= n; i++) {
          row[i - 1] = SqlExecutor.value(rs, i);
        }
        reader.row(row);
      }
    }
  }

  /** Indexes, triggers and views of these tables, in creation order. */
  static List<String> schemaAfterTables(Connection c, Collection<String> tables) throws SQLException {
    List<String[]> all = rows(c, "SELECT sql, tbl_name, name FROM sqlite_schema"
        + " WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
    return all.stream().filter(r -> tables.contains(r[1]) && !isHidden(r[2]))
        .map(r -> r[0]).toList();
  }

  private static String select(Table t, boolean storedColumnsOnly) {
    String columns = storedColumnsOnly
        ? String.join(", ", t.columns().stream().filter(c -> !c.generated())
            .map(c -> quote(c.name())).toList())
        : "*";
    List<String> key = t.key();
    String order = key.isEmpty() ? "" : " ORDER BY " + String.join(", ",
        key.stream().map(k -> k.equals(t.rowidAlias()) ? k : quote(k)).toList());
    return "SELECT " + columns + " FROM " + quote(t.name()) + order;
  }

  private static List<String> indexColumns(Connection c, String index) throws SQLException {
    return rows(c, "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
        rs -> Objects.requireNonNullElse(rs.getString(1), "<expression>"), index);
  }

  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> rows(Connection c, String sql, RowMapper<T> mapper, String... params)
      throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
    }
    return out;
  }
}
