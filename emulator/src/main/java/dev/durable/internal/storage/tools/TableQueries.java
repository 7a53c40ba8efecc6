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
import java.util.Set;

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
    List<String[]> listed = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, type, wr, strict FROM pragma_table_list"
            + " WHERE schema = 'main' ORDER BY name")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (!isHidden(name)) {
          listed.add(new String[] {name, rs.getString(2), rs.getString(3), rs.getString(4)});
        }
      }
    }
    List<Table> out = new ArrayList<>();
    for (String[] t : listed) {
      out.add(describe(c, t[0], t[1], "1".equals(t[2]), "1".equals(t[3])));
    }
    return out;
  }

  /** The number of rows of a table or view. */
  static long count(Connection c, Table t) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(t.name()))) {
      rs.next();
      return rs.getLong(1);
    }
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
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\", dflt_value, pk,"
        + " hidden FROM pragma_table_xinfo(?) ORDER BY cid")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int hidden = rs.getInt(6);
          if (hidden == 1) {
            continue; // a virtual table's hidden column
          }
          columns.add(new Column(rs.getString(1), rs.getString(2), rs.getInt(3) == 1,
              rs.getString(4), rs.getInt(5), hidden >= 2));
        }
      }
    }
    List<Index> indexes = new ArrayList<>();
    if (type.equals("table")) {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, \"unique\", origin, partial"
          + " FROM pragma_index_list(?) ORDER BY name")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            indexes.add(new Index(rs.getString(1), rs.getInt(2) == 1, rs.getString(3),
                rs.getInt(4) == 1, List.of()));
          }
        }
      }
      for (int i = 0; i < indexes.size(); i++) {
        Index ix = indexes.get(i);
        indexes.set(i, new Index(ix.name(), ix.unique(), ix.origin(), ix.partial(), indexColumns(c, ix.name())));
      }
    }
    String sql = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_schema WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          sql = rs.getString(1);
        }
      }
    }
    String rowidAlias = null;
    if (type.equals("table") && !withoutRowid) {
      for (String alias : List.of("rowid", "_rowid_", "oid")) {
        if (columns.stream().noneMatch(col -> col.name().equalsIgnoreCase(alias))) {
          rowidAlias = alias;
          break;
        }
      }
    }
    return new Table(name, type, withoutRowid, strict, List.copyOf(columns), List.copyOf(indexes),
        sql, rowidAlias);
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
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sql, tbl_name, name FROM sqlite_schema"
            + " WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid")) {
      while (rs.next()) {
        if (tables.contains(rs.getString(2)) && !isHidden(rs.getString(3))) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
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
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
      ps.setString(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String col = rs.getString(1);
          out.add(col == null ? "<expression>" : col);
        }
      }
    }
    return out;
  }
}
