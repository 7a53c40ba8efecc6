package dev.durable.explorer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Downloads of an object or one of its tables: JSON, CSV (a zip of one CSV per table for a whole
 * object), SQL statements that rebuild it, or the SQLite file itself (a consistent copy of what
 * is committed). The export is written to a temporary file inside the object's gate, then sent
 * without holding the gate.
 */
record ExportRoutes(ObjectAccess access) {
  static final String TAG = "Export";

  void register(RouteTable t) {
    t.add("GET", ObjectRoutes.OBJECT + "/export", call -> export(call, null))
        .doc(TAG, "exportObject", "Download the whole object")
        .describe("`json`: every table's columns and rows and the key-value entries. `csv`: a zip"
            + " with one CSV per table and `_kv.csv`. `sql`: CREATE and INSERT statements (the"
            + " key-value entries as INSERTs into the table the runtime keeps them in). `sqlite`:"
            + " the database file.")
        .query("format", "string", "json (default), csv, sql or sqlite")
        .download("application/json, application/zip, application/sql, application/vnd.sqlite3");
    t.add("GET", ObjectRoutes.OBJECT + "/tables/{table}/export",
        call -> export(call, call.path("table")))
        .doc(TAG, "exportTable", "Download one table")
        .query("format", "string", "json (default), csv or sql")
        .download("application/json, text/csv, application/sql");
  }

  /** The whole object when {@code table} is null. */
  private Reply export(ApiCall call, String table) throws Exception {
    ObjectAccess.Target target = access.target(call);
    boolean oneTable = table != null;
    ExportFormat format = format(call, !oneTable);
    Path file = Files.createTempFile("durable-export-", "." + format.extension(oneTable));
    try {
      access.read(target, view -> {
        ObjectExport export = new ObjectExport(target, view, file);
        if (oneTable) {
          export.writeTable(table, format);
        } else {
          export.writeObject(format);
        }
        return null;
      });
    } catch (Exception | Error e) {
      Files.deleteIfExists(file);
      throw e;
    }
    String name = fileName(target, table, format.extension(oneTable));
    return new Reply.Download(format.contentType(oneTable), name, file);
  }

  private static ExportFormat format(ApiCall call, boolean wholeObject) {
    String raw = call.query("format");
    String f = raw == null || raw.isEmpty() ? "json" : raw.toLowerCase(Locale.ROOT);
    for (ExportFormat format : ExportFormat.values()) {
      if (format.name().toLowerCase(Locale.ROOT).equals(f) && (wholeObject || format != ExportFormat.SQLITE)) {
        return format;
      }
    }
    throw ApiException.invalid("format: expected " + (wholeObject ? "json, csv, sql or sqlite"
        : "json, csv or sql (a table has no file of its own; export the object as sqlite)")
        + ", got '" + raw + "'");
  }

  /** {@code <namespace>-<name or id>[-<table>].<ext>}, with only safe characters. */
  private static String fileName(ObjectAccess.Target target, String table, String extension) {
    String base = target.namespace().namespaceId() + "-"
        + (target.name() != null ? target.name() : target.id().toString())
        + (table == null ? "" : "-" + table);
    return base.replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
  }

  /** What an export is written as. */
  enum ExportFormat {
    JSON, CSV, SQL, SQLITE;

    String extension(boolean table) {
      return switch (this) {
        case JSON -> "json";
        case CSV -> table ? "csv" : "zip";
        case SQL -> "sql";
        case SQLITE -> "sqlite";
      };
    }

    String contentType(boolean table) {
      return switch (this) {
        case JSON -> "application/json";
        case CSV -> table ? "text/csv; charset=utf-8" : "application/zip";
        case SQL -> "application/sql; charset=utf-8";
        case SQLITE -> "application/vnd.sqlite3";
      };
    }
  }
}
