package dev.durable.explorer;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.durable.ListOptions;
import dev.durable.runtime.ObjectTools.Table;
import dev.durable.runtime.ObjectTools;
import dev.durable.runtime.ObjectView;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an object (or one table) to a file as JSON, CSV, SQL statements or a SQLite database.
 * Runs inside the object's gate, so the export is one consistent state.
 */
final class ObjectExport {
  private final ObjectAccess.Target target;
  private final ObjectView view;
  private final Path file;

  ObjectExport(ObjectAccess.Target target, ObjectView view, Path file) {
    this.target = target;
    this.view = view;
    this.file = file;
  }

  void writeObject(ExportRoutes.ExportFormat format) throws Exception {
    List<Table> tables = view.tables();
    switch (format) {
      case JSON -> json(tables, true);
      case CSV -> zip(tables);
      case SQL -> sql(tables, true);
      case SQLITE -> view.copyDatabaseTo(file);
    }
  }

  void writeTable(String name, ExportRoutes.ExportFormat format) throws Exception {
    Table table = TableSchema.table(view, name);
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

  private void json(List<Table> tables, boolean wholeObject) throws Exception {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        JsonGenerator g = Envelope.MAPPER.getFactory().createGenerator(out)) {
      if (!wholeObject) {
        tableJson(tables.get(0), g);
        return;
      }
      g.writeStartObject();
      g.writeStringField("namespace", target.namespace().namespaceId());
      g.writeStringField("id", target.id().toString());
      if (target.name() != null) {
        g.writeStringField("name", target.name());
      }
      g.writeArrayFieldStart("tables");
      for (Table t : tables) {
        tableJson(t, g);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("kv");
      for (ObjectTools.Entry e : view.entries(ListOptions.all())) {
        g.writeTree(KeyValueRoutes.toJson(e.key(), e.value()));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private void tableJson(Table t, JsonGenerator g) throws Exception {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    view.readRows(t, false, new ObjectView.RowReader() {
      @Override
      public void columns(List<String> names) throws Exception {
        g.writeFieldName("columns");
        g.writeArray(names.toArray(String[]::new), 0, names.size());
        g.writeArrayFieldStart("rows");
      }

      @Override
      public void row(Object[] values) throws Exception {
        g.writeStartArray();
        for (Object v : values) {
          g.writeTree(SqlValues.toJson(v));
        }
        g.writeEndArray();
      }
    });
    g.writeEndArray();
    g.writeEndObject();
  }

  private void zip(List<Table> tables) throws Exception {
    try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
      Set<String> used = new HashSet<>();
      for (Table t : tables) {
        zip.putNextEntry(new ZipEntry(entryName(t.name(), used)));
        csv(t, w);
        w.flush();
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry(entryName("_kv", used)));
      w.write("key,encoding,value\r\n");
      for (ObjectTools.Entry e : view.entries(ListOptions.all())) {
        var json = KeyValueRoutes.toJson(e.key(), e.value());
        var value = json.get("value");
        w.write(csvField(e.key()) + "," + json.get("encoding").textValue() + ","
            + csvField(value.isTextual() ? value.textValue() : value.toString()) + "\r\n");
      }
      w.flush();
      zip.closeEntry();
    }
  }

  /** RFC 4180: a header row, CRLF line ends; NULL is an empty field, BLOBs are base64. */
  private void csv(Table t, Writer w) throws Exception {
    view.readRows(t, false, new ObjectView.RowReader() {
      @Override
      public void columns(List<String> names) throws Exception {
        w.write(String.join(",", names.stream().map(ObjectExport::csvField).toList()) + "\r\n");
      }

      @Override
      public void row(Object[] values) throws Exception {
        w.write(String.join(",", Arrays.stream(values).map(v -> switch (v) {
          case null -> "";
          case byte[] b -> Base64.getEncoder().encodeToString(b);
          case String s -> csvField(s);
          default -> v.toString();
        }).toList()) + "\r\n");
      }
    });
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
  private void sql(List<Table> tables, boolean wholeObject) throws Exception {
    try (Writer w = writer(Files.newOutputStream(file))) {
      w.write("-- Export of Durable Object " + target.namespace().namespaceId() + "/"
          + target.id() + (target.name() == null ? "" : " ('" + oneLine(target.name()) + "')")
          + "\nPRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
      Set<String> names = new HashSet<>();
      for (Table t : tables) {
        names.add(t.name());
        if (t.type().equals("shadow") || t.type().equals("view")) {
          continue; // shadow tables are rebuilt by their virtual table; views come last
        }
        w.write(t.sql() + ";\n");
        insertRows(t, w);
      }
      for (String extra : view.schemaAfterTables(names)) {
        w.write(extra + ";\n");
      }
      if (wholeObject) {
        for (String statement : view.entriesAsSql()) {
          w.write(statement + ";\n");
        }
      }
      w.write("COMMIT;\n");
    }
  }

  private void insertRows(Table t, Writer w) throws Exception {
    List<String> columns = t.columns().stream().filter(c -> !c.generated())
        .map(c -> TableSchema.quote(c.name())).toList();
    String prefix = "INSERT INTO " + TableSchema.quote(t.name()) + "(" + String.join(",", columns) + ") VALUES(";
    view.readRows(t, true, new ObjectView.RowReader() {
      @Override
      public void columns(List<String> names) {}

      @Override
      public void row(Object[] values) throws Exception {
        w.write(prefix + String.join(",", Arrays.stream(values).map(ObjectExport::literal).toList())
            + ");\n");
      }
    });
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

  private static Writer writer(OutputStream out) {
    return new OutputStreamWriter(new BufferedOutputStream(out), StandardCharsets.UTF_8);
  }
}
