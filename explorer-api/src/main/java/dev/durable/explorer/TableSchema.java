package dev.durable.explorer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The user tables of an object's database as the data studio shows them: columns with types,
 * primary key, indexes, and the key that addresses one row (the primary key, else the rowid).
 * The runtime's own tables ({@code _cf_*}, {@code __miniflare_do_name}) and SQLite's are hidden.
 */
final class TableSchema {
  /** A column; {@code pk} is its position in the primary key (0 when not part of it). */
  record Column(String name, String type, boolean notNull, String defaultValue, int pk,
      boolean generated) {}

  /** An index; {@code origin} is SQLite's: {@code c} created, {@code u} unique, {@code pk}. */
  record Index(String name, boolean unique, String origin, boolean partial, List<String> columns) {}

  /**
   * A table or view.
   *
   * @param type {@code table}, {@code view}, {@code virtual} or {@code shadow} (SQLite's)
   * @param rowidAlias the name that reads the rowid ({@code rowid}, {@code _rowid_} or
   *     {@code oid}, the first no column shadows), or null for WITHOUT ROWID tables and views
   */
  record Table(String name, String type, boolean withoutRowid, boolean strict,
      List<Column> columns, List<Index> indexes, String sql, String rowidAlias) {

    /** The columns that address one row: the primary key, else the rowid; empty for views. */
    List<String> key() {
      List<String> pk = columns.stream().filter(c -> c.pk() > 0)
          .sorted(Comparator.comparingInt(Column::pk)).map(Column::name).toList();
      if (!pk.isEmpty() && !type.equals("view")) {
        return pk;
      }
      return rowidAlias == null ? List.of() : List.of(rowidAlias);
    }

    /** Whether the key is the rowid read under {@link #rowidAlias()} (not a declared column). */
    boolean keyIsRowid() {
      return rowidAlias != null && key().equals(List.of(rowidAlias))
          && columns.stream().noneMatch(c -> c.name().equalsIgnoreCase(rowidAlias));
    }

    boolean hasColumn(String name) {
      return columns.stream().anyMatch(c -> c.name().equals(name));
    }

    /** Refuses (400) a column the table does not have, naming the field that gave it. */
    void requireColumn(String column, String field) {
      if (!hasColumn(column) && !column.equals(rowidAlias)) {
        throw ApiException.invalid(field + ": table '" + name + "' has no column '" + column
            + "'; columns: " + String.join(", ", columns.stream().map(Column::name).toList()));
      }
    }

    boolean isEditable() {
      return type.equals("table") && !key().isEmpty();
    }
  }

  private static final Set<String> HIDDEN = Set.of("_cf_kv", "__miniflare_do_name");

  private TableSchema() {}

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

  /** One user table or view, or a 404 naming the tables there are. */
  static Table table(Connection c, String name) throws SQLException {
    List<Table> all = tables(c);
    for (Table t : all) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw ApiException.notFound("No table '" + name + "' in this object; tables: "
        + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(Table::name).toList())));
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
