package dev.durable.repl;

import static dev.durable.repl.Slot.Kind.SQL;
import static dev.durable.repl.Slot.Kind.TABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The object's SQL database: {@code tables}, {@code schema}, {@code sql} (and lines of SQL). */
final class SqlCommands {
  private SqlCommands() {}

  static List<Command> commands() {
    return List.of(
        new Command("tables", "", "List tables and views with row counts",
            """
            Lists the tables and views of the object in use, with their row counts and columns.
            The runtime's own tables (_cf_...) are not shown.""",
            List.of(), SqlCommands::tables),
        new Command("schema", "<table>", "Show a table's columns, keys and indexes",
            """
            Shows the columns of a table of the object in use (type, NOT NULL, default, place in
            the primary key), then its indexes.
              schema notes""",
            List.of(Slot.of(TABLE)), SqlCommands::schema),
        new Command("sql", "<statement>", "Run SQL now (one line, ';' optional)",
            """
            Runs SQL on the object in use, inside its input gate, as its own sql().exec() would:
            several statements run in order and the last one's rows are shown. 'sql' runs what
            is on its line. A line that starts with a SQL keyword (SELECT, INSERT, UPDATE,
            DELETE FROM, CREATE, DROP, ALTER, WITH, PRAGMA, EXPLAIN, ...) runs as SQL too, and
            may go on over several lines until one ends with ';'.
              sql SELECT count(*) FROM notes
              SELECT id, title
                FROM notes WHERE id < 3;""",
            List.of(Slot.of(SQL)), SqlCommands::sql));
  }

  private static Output tables(Session session, Arguments args) {
    args.end();
    Target target = session.requireTarget("tables");
    JsonNode result = session.client().get(target.path("/tables")).result();
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode t : result) {
      List<String> columns = new ArrayList<>();
      t.path("columns").forEach(c -> columns.add(c.path("name").asText()));
      rows.add(List.of(t.path("name"), t.path("type"), t.path("rows"),
          ObjectCommands.text(String.join(", ", columns))));
    }
    return new Output(result, new Output.Table(List.of("name", "type", "rows", "columns"), rows,
        "(" + Text.count(rows.size(), "table", "tables") + ")"));
  }

  private static Output schema(Session session, Arguments args) {
    String table = args.next("a table name");
    args.end();
    Target target = session.requireTarget("schema");
    JsonNode t = session.client().get(target.path("/tables/" + ExplorerClient.segment(table))).result();
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode c : t.path("columns")) {
      int pk = c.path("primary_key_position").asInt();
      rows.add(List.of(c.path("name"), c.path("type"),
          ObjectCommands.text(c.path("not_null").asBoolean() ? "yes" : ""), c.path("default"),
          ObjectCommands.text(pk > 0 ? "primary key" + (t.path("primary_key").size() > 1 ? " " + pk : "") : "")));
    }
    List<String> notes = new ArrayList<>();
    notes.add(t.path("type").asText() + " " + t.path("name").asText() + ": "
        + Text.count(t.path("rows").asLong(), "row", "rows")
        + (t.path("without_rowid").asBoolean() ? ", WITHOUT ROWID" : "")
        + (t.path("strict").asBoolean() ? ", STRICT" : ""));
    for (JsonNode ix : t.path("indexes")) {
      List<String> columns = new ArrayList<>();
      ix.path("columns").forEach(c -> columns.add(c.asText()));
      notes.add("index " + ix.path("name").asText() + " (" + String.join(", ", columns) + ")"
          + (ix.path("unique").asBoolean() ? " unique" : "") + (ix.path("partial").asBoolean() ? " partial" : ""));
    }
    return new Output(t, new Output.Views(List.of(
        new Output.Table(List.of("column", "type", "not null", "default", "key"), rows, null),
        new Output.Lines(notes))));
  }

  private static Output sql(Session session, Arguments args) {
    String statement = args.rest();
    if (statement.isEmpty()) {
      throw args.usage("missing a statement");
    }
    return run(session, statement);
  }

  /** Runs SQL text on the object in use. */
  static Output run(Session session, String statement) {
    Target target = session.requireTarget("sql");
    ObjectNode body = ExplorerClient.NODES.objectNode();
    if (target.name() != null) {
      body.put("durable_object_name", target.name());
    } else {
      body.put("durable_object_id", target.id());
    }
    if (target.facet() != null) {
      body.put("durable_object_facet", target.facet());
    }
    body.putArray("queries").addObject().put("sql", statement);
    JsonNode result;
    try {
      result = session.client().post(ExplorerClient.NAMESPACES + "/"
          + ExplorerClient.segment(target.namespace().id()) + "/query", body).result().path(0);
    } catch (ExplorerClient.ExplorerException e) {
      if (e.getMessage().contains("SQLITE_AUTH") && statement.toLowerCase(Locale.ROOT).contains("_cf_")) {
        throw new ExplorerClient.ExplorerException(e.status(), e.code(), e.getMessage()
            + " (tables whose names start with _cf_ are the runtime's own, as in Cloudflare;"
            + " see key-value entries with list and get, the alarm with alarm)");
      }
      String located = Text.lineAndColumn(e.getMessage(), statement);
      if (!located.equals(e.getMessage())) {
        throw new ExplorerClient.ExplorerException(e.status(), e.code(), located);
      }
      throw e;
    }
    long written = result.path("meta").path("rows_written").asLong();
    List<String> columns = new ArrayList<>();
    result.path("columns").forEach(c -> columns.add(c.asText()));
    if (columns.isEmpty()) {
      return Output.of(result, written == 0 ? "OK." : "OK (" + Text.count(written, "row", "rows") + " written).");
    }
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode row : result.path("rows")) {
      List<JsonNode> cells = new ArrayList<>();
      row.forEach(cells::add);
      rows.add(cells);
    }
    String footer = "(" + Text.count(rows.size(), "row", "rows")
        + (written > 0 ? "; " + written + " written" : "") + ")";
    return new Output(result, new Output.Table(columns, rows, footer));
  }
}
