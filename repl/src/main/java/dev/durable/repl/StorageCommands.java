package dev.durable.repl;

import static dev.durable.repl.Slot.Kind.KEY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The object's key-value storage: {@code get}, {@code put}, {@code delete}, {@code list}. */
final class StorageCommands {
  private static final int PAGE = 1000;

  private StorageCommands() {}

  static List<Command> commands() {
    return List.of(
        new Command("get", "<key>", "Show a key-value entry's value",
            """
            Shows the value stored under a key of the object in use, as JSON. A value that is not
            JSON (written by something else than this runtime) is shown as base64. Quote a key
            that holds spaces: get "my key".""",
            List.of(Slot.of(KEY)), StorageCommands::get),
        new Command("put", "<key> <json>", "Store a JSON value under a key",
            """
            Stores a value under a key of the object in use, as the object's own put() would.
            The value is JSON: strings need their quotes.
              put count 41
              put user {"name": "Ada", "tags": ["admin"]}
              put greeting "hello\"""",
            List.of(Slot.of(KEY)), StorageCommands::put),
        new Command("delete", "<key>", "Delete a key-value entry",
            """
            Deletes the entry under a key of the object in use (nothing happens when there is
            none). A line 'delete from <table> ...' runs as SQL instead.""",
            List.of(Slot.of(KEY)), StorageCommands::delete),
        new Command("list", "[prefix]", "List key-value entries in key order",
            """
            Lists the key-value entries of the object in use in key order, all of them or those
            whose key starts with a prefix (at most 1000).
              list
              list user:""",
            List.of(Slot.of(KEY)), StorageCommands::list));
  }

  private static String kv(Target target, String key) {
    return target.path("/kv/" + ExplorerClient.segment(key));
  }

  private static Output get(Session session, Arguments args) {
    String key = args.next("a key");
    args.end();
    JsonNode entry = session.client().get(kv(session.requireTarget("get"), key)).result();
    String shown = entry.path("encoding").asText().equals("json")
        ? entry.path("value").toPrettyString()
        : "(" + Text.bytes(entry.path("size").asLong()) + ", not JSON; base64) " + entry.path("value").asText();
    return Output.of(entry, shown);
  }

  private static Output put(Session session, Arguments args) {
    String key = args.next("a key");
    JsonNode value = args.json("value");
    Target target = session.requireTarget("put");
    JsonNode body = ExplorerClient.NODES.objectNode().set("value", value);
    JsonNode entry = session.client().put(kv(target, key), body).result();
    return Output.of(entry, "Stored " + quoted(key) + " (" + Text.bytes(entry.path("size").asLong()) + ").");
  }

  private static Output delete(Session session, Arguments args) {
    String key = args.next("a key");
    args.end();
    JsonNode r = session.client().delete(kv(session.requireTarget("delete"), key)).result();
    return Output.of(r, r.path("deleted").asBoolean() ? "Deleted " + quoted(key) + "."
        : "No entry " + quoted(key) + "; nothing deleted.");
  }

  private static Output list(Session session, Arguments args) {
    String prefix = args.nextOrNull();
    args.end();
    Target target = session.requireTarget("list");
    String path = target.path("/kv?limit=" + PAGE + (prefix == null ? "" : "&prefix=" + ExplorerClient.query(prefix)));
    ExplorerClient.Answer answer = session.client().get(path);
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode e : answer.result()) {
      // Values as JSON text, so that the string "41" and the number 41 look different.
      JsonNode shown = ObjectCommands.text(e.path("encoding").asText().equals("json")
          ? e.path("value").toString() : "base64:" + e.path("value").asText());
      rows.add(List.of(e.path("key"), shown));
    }
    boolean more = answer.info() != null && !answer.info().path("cursor").asText("").isEmpty();
    String footer = more ? "(the first " + rows.size() + " entries; narrow them with a prefix)"
        : "(" + Text.count(rows.size(), "entry", "entries") + ")";
    return new Output(answer.result(), new Output.Table(List.of("key", "value"), rows, footer));
  }

  static String quoted(String key) {
    return "'" + key + "'";
  }
}
