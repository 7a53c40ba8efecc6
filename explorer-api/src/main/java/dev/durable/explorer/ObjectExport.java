package dev.durable.explorer;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.sqlite.SQLiteConnection;

/**
 * Writes an object (or one table) to a file as JSON, CSV, SQL statements or a SQLite database.
 * Runs inside the object's gate, so the export is one consistent state.
 */
final class ObjectExport {
  private final ObjectAccess.View view;
  private final Path file;
  private final Connection connection;

  ObjectExport(ObjectAccess.View view, Path file) {
    this.view = view;
    this.file = file;
    this.connection = view.database().connection();
  }

  void writeObject(ExportRoutes.ExportFormat format) throws Exception {
    List<TableSchema.Table> tables = TableSchema.tables(connection);
    switch (format) {
      case JSON -> json(tables, true);
      case CSV -> zip(tables);
      case SQL -> sql(tables, true);
      case SQLITE -> sqliteFile();
    }
  }

  void writeTable(String name, ExportRoutes.ExportFormat format) throws Exception {
    TableSchema.Table table = TableSchema.table(connection, name);
    switch (format) {
      case JSON -> json(List.of(table), false);
      case CSV -> {
        try (Writer w = writer(Files.newOutputStream(file))) {
          csv(table, w);
        }
      }
      case SQL -> sql(List.of(table), false);
      case SQLITE -> throw ApiException.invalid("format: a table has no SQLite file of its own");
    }
  }

  private void json(List<TableSchema.Table> tables, boolean wholeObject) throws Exception {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        JsonGenerator g = Envelope.MAPPER.getFactory().createGenerator(out)) {
      if (!wholeObject) {
        tableJson(tables.get(0), g);
        return;
      }
      g.writeStartObject();
      g.writeStringField("namespace", view.target().namespace().namespaceId());
      g.writeStringField("id", view.target().id().toString());
      if (view.target().name() != null) {
        g.writeStringField("name", view.target().name());
      }
      g.writeArrayFieldStart("tables");
      for (TableSchema.Table t : tables) {
        tableJson(t, g);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("kv");
      for (Object[] e : kvEntries()) {
        g.writeTree(KeyValueRoutes.toJson((String) e[0], (byte[]) e[1]));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private void tableJson(TableSchema.Table t, JsonGenerator g) throws Exception {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(select(t, false))) {
      ResultSetMetaData md = rs.getMetaData();
      g.writeArrayFieldStart("columns");
      for (int i = 1; i <= md.getColumnCount(); i++) {
        g.writeString(md.getColumnLabel(i));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rows");
      while (rs.next()) {
        g.writeStartArray();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          g.writeTree(SqlValues.toJson(TableRoutes.value(rs, i)));
        }
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private void zip(List<TableSchema.Table> tables) throws Exception {
    try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
      Set<String> used = new HashSet<>();
      for (TableSchema.Table t : tables) {
        zip.putNextEntry(new ZipEntry(entryName(t.name(), used)));
        csv(t, w);
        w.flush();
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry(entryName("_kv", used)));
      w.write("key,encoding,value\r\n");
      for (Object[] e : kvEntries()) {
        var json = KeyValueRoutes.toJson((String) e[0], (byte[]) e[1]);
        var value = json.get("value");
        w.write(csvField((String) e[0]) + "," + json.get("encoding").textValue() + ","
            + csvField(value.isTextual() ? value.textValue() : value.toString()) + "\r\n");
      }
      w.flush();
      zip.closeEntry();
    }
  }

  /** RFC 4180: a header row, CRLF line ends; NULL is an empty field, BLOBs are base64. */
  private void csv(TableSchema.Table t, Writer w) throws Exception {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(select(t, false))) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> header = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        header.add(csvField(md.getColumnLabel(i)));
      }
      w.write(String.join(",", header) + "\r\n");
      while (rs.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = TableRoutes.value(rs, i);
          fields.add(switch (v) {
            case null -> "";
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            case String s -> csvField(s);
            default -> v.toString();
          });
        }
        w.write(String.join(",", fields) + "\r\n");
      }
    }
  }

  private static String csvField(String s) {
    boolean quote = s.isEmpty() || s.contains(",") || s.contains("\"") || s.contains("\n")
        || s.contains("\r") || !s.strip().equals(s);
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String entryName(String table, Set<String> used) {
    String base = table.replaceAll("[^A-Za-z0-9._-]", "_");
    String name = base + ".csv";
    for (int i = 2; !used.add(name); i++) {
      name = base + "_" + i + ".csv";
    }
    return name;
  }

  /**
   * A name as it may stand in a one-line SQL comment: a line break in an object's name would end
   * the comment, and what followed would run when the file is read into sqlite3. Every control
   * or line-separating character is written as a backslash, 'u' and four hex digits instead.
   */
  static String oneLine(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  /** SQL that rebuilds the tables (and, for the whole object, the key-value entries). */
  private void sql(List<TableSchema.Table> tables, boolean wholeObject) throws Exception {
    try (Writer w = writer(Files.newOutputStream(file))) {
      w.write("-- Export of Durable Object " + view.target().namespace().namespaceId() + "/"
          + view.target().id() + (view.target().name() == null ? "" : " ('" + oneLine(view.target().name()) + "')")
          + "\nPRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
      Set<String> names = new HashSet<>();
      for (TableSchema.Table t : tables) {
        names.add(t.name());
        if (t.type().equals("shadow") || t.type().equals("view")) {
          continue; // shadow tables are rebuilt by their virtual table; views come last
        }
        w.write(t.sql() + ";\n");
        insertRows(t, w);
      }
      for (String[] extra : schemaAfterTables(names)) {
        w.write(extra[1] + ";\n");
      }
      if (wholeObject) {
        w.write("CREATE TABLE IF NOT EXISTS \"_cf_KV\" (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;\n");
        for (Object[] e : kvEntries()) {
          w.write("INSERT INTO \"_cf_KV\" VALUES(" + literal(e[0]) + "," + literal(e[1]) + ");\n");
        }
      }
      w.write("COMMIT;\n");
    }
  }

  private void insertRows(TableSchema.Table t, Writer w) throws Exception {
    List<String> columns = t.columns().stream().filter(c -> !c.generated())
        .map(c -> TableSchema.quote(c.name())).toList();
    String prefix = "INSERT INTO " + TableSchema.quote(t.name()) + "(" + String.join(",", columns) + ") VALUES(";
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(select(t, true))) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          values.add(literal(TableRoutes.value(rs, i)));
        }
        w.write(prefix + String.join(",", values) + ");\n");
      }
    }
  }

  /** Indexes, triggers and views of the exported tables, in creation order. */
  private List<String[]> schemaAfterTables(Set<String> tables) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT type, sql, tbl_name, name FROM sqlite_schema"
            + " WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid")) {
      while (rs.next()) {
        if (tables.contains(rs.getString(3)) && !TableSchema.isHidden(rs.getString(4))) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  private String select(TableSchema.Table t, boolean storedColumnsOnly) {
    String columns = storedColumnsOnly
        ? String.join(", ", t.columns().stream().filter(c -> !c.generated())
            .map(c -> TableSchema.quote(c.name())).toList())
        : "*";
    List<String> key = t.key();
    String order = key.isEmpty() ? "" : " ORDER BY " + String.join(", ",
        key.stream().map(k -> k.equals(t.rowidAlias()) ? k : TableSchema.quote(k)).toList());
    return "SELECT " + columns + " FROM " + TableSchema.quote(t.name()) + order;
  }

  static String literal(Object v) {
    return switch (v) {
      case null -> "NULL";
      case Long l -> Long.toString(l);
      case Double d -> d.isNaN() ? "NULL" : d.isInfinite() ? (d > 0 ? "9e999" : "-9e999") : Double.toString(d);
      case byte[] b -> "X'" + HexFormat.of().formatHex(b) + "'";
      default -> "'" + v.toString().replace("'", "''") + "'";
    };
  }

  private List<Object[]> kvEntries() throws SQLException {
    view.storage().sync();
    List<Object[]> out = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT key, value FROM _cf_KV ORDER BY key")) {
      while (rs.next()) {
        out.add(new Object[] {rs.getString(1), rs.getBytes(2)});
      }
    }
    return out;
  }

  /**
   * A copy of the database as the object's connection sees it, the same view the other formats
   * read, through SQLite's backup API (the database is locked by that connection while open).
   */
  private void sqliteFile() throws Exception {
    view.storage().sync();
    int rc = ((SQLiteConnection) connection).getDatabase().backup("main", file.toString(), null);
    if (rc != 0) {
      throw new SQLException("SQLite error " + rc + " while copying the database to " + file);
    }
  }

  private static Writer writer(OutputStream out) {
    return new OutputStreamWriter(new BufferedOutputStream(out), StandardCharsets.UTF_8);
  }
}
