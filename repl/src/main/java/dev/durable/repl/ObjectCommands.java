package dev.durable.repl;

import static dev.durable.repl.Slot.Kind.NAMESPACE;
import static dev.durable.repl.Slot.Kind.OBJECT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Finding objects and choosing one: {@code namespaces}, {@code objects}, {@code use}, {@code info}, {@code evict}. */
final class ObjectCommands {
  private static final int PAGE = 1000;

  private ObjectCommands() {}

  static List<Command> commands() {
    return List.of(
        new Command("namespaces", "", "List namespaces, their classes and methods",
            """
            Lists the Durable Object namespaces of the emulator: the binding name (use it with
            'use' and 'objects'), the class, the namespace id and the methods 'call' can call.""",
            List.of(), ObjectCommands::namespaces),
        new Command("objects", "[namespace]", "List a namespace's objects",
            """
            Lists the objects of a namespace as stored on disk, with their names when they were
            made by name. Listing never wakes an object. The namespace is a binding (COUNTER), a
            class name or a namespace id; without one, the namespace of the object in use.
              objects COUNTER""",
            List.of(Slot.of(NAMESPACE)), ObjectCommands::objects),
        new Command("use", "<namespace> <name|id> [facet]", "Work on one object (the prompt shows it)",
            """
            Chooses the object the other commands work on. The namespace is a binding (COUNTER),
            a class name or a namespace id; the object is its name, or its id (64 hex digits).
            An object that does not exist yet is made when something is written to it. A third
            word chooses one of the object's facets (children it made with ctx.facets().get;
            'info' lists them) instead: the commands then work on the facet.
              use COUNTER a
              use samples-Counter 3f1c...
              use INBOX ada chat-1""",
            List.of(Slot.of(NAMESPACE), Slot.of(OBJECT)), ObjectCommands::use),
        new Command("info", "", "Show the object: size, tables, entries, alarm",
            """
            Shows the object in use: its id and name, whether it has stored data and how much,
            whether an instance is in memory, its tables with row counts, how many key-value
            entries it holds and its alarm. Never wakes the object.""",
            List.of(), ObjectCommands::info),
        new Command("evict", "", "Drop the object's instance from memory",
            """
            Evicts the instance of the object in use: pending writes are committed, the instance
            is dropped and its database closed. The next call runs the constructor again and
            reads its state from storage: a quick way to check nothing lives only in memory.""",
            List.of(), ObjectCommands::evict));
  }

  private static Output namespaces(Session session, Arguments args) {
    args.end();
    List<NamespaceInfo> all = session.namespaces().refresh();
    ArrayNode json = ExplorerClient.NODES.arrayNode();
    List<List<JsonNode>> rows = new ArrayList<>();
    for (NamespaceInfo ns : all) {
      ObjectNode o = json.addObject().put("id", ns.id()).put("binding", ns.binding())
          .put("class", ns.simpleClassName()).put("class_name", ns.className());
      ArrayNode methods = o.putArray("methods");
      List<String> names = new ArrayList<>();
      for (NamespaceInfo.RpcMethod m : ns.methods()) {
        methods.add(m.name());
        if (!names.contains(m.name())) {
          names.add(m.name());
        }
      }
      rows.add(List.of(text(ns.binding() == null ? "" : ns.binding()),
          text(ns.className() != null ? ns.className() : ns.simpleClassName()), text(ns.id()),
          text(String.join(", ", names))));
    }
    return new Output(json, new Output.Table(List.of("binding", "class", "namespace id", "methods"),
        rows, "(" + Text.count(all.size(), "namespace", "namespaces") + ")"));
  }

  private static Output objects(Session session, Arguments args) {
    String word = args.nextOrNull();
    args.end();
    NamespaceInfo ns;
    if (word != null) {
      ns = session.namespaces().resolve(word);
    } else if (session.target() != null) {
      ns = session.target().namespace();
    } else {
      throw args.usage("which namespace? No object is in use");
    }
    ExplorerClient.Answer answer = session.client().get(ExplorerClient.NAMESPACES + "/"
        + ExplorerClient.segment(ns.id()) + "/objects?limit=" + PAGE);
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode o : answer.result()) {
      rows.add(List.of(text(o.path("name").asText("")), o.path("id"), o.path("hasStoredData")));
    }
    boolean more = answer.info() != null && !answer.info().path("cursor").asText("").isEmpty();
    String footer = more ? "(the first " + rows.size() + " objects of " + ns.label() + "; there are more)"
        : "(" + Text.count(rows.size(), "object", "objects") + " in " + ns.label() + ")";
    return new Output(answer.result(),
        new Output.Table(List.of("name", "id", "stored"), rows, footer));
  }

  private static Output use(Session session, Arguments args) {
    NamespaceInfo ns = session.namespaces().resolve(args.next("a namespace"));
    String object = args.next("an object name or id");
    String facet = args.nextOrNull();
    args.end();
    Target target = Target.isId(object) ? new Target(ns, null, object) : new Target(ns, object, null);
    JsonNode summary = session.client().get(target.path()).result();
    target = new Target(ns, summary.path("name").asText(target.name()), summary.path("id").asText());
    if (facet != null) {
      target = new Target(ns, target.name(), target.id(), facet);
      summary = session.client().get(target.path("")).result();
    }
    session.use(target);
    String what = summary.path("hasStoredData").asBoolean()
        ? contents(summary) : "nothing stored yet (the object is made when something is written)";
    return Output.of(summary, "Using " + target.label() + ": " + what + ".");
  }

  private static Output info(Session session, Arguments args) {
    args.end();
    Target target = session.requireTarget("info");
    JsonNode s = session.client().get(target.path("")).result();
    List<String> lines = new ArrayList<>();
    lines.add((target.facet() != null ? "facet      " : "object     ") + target.label());
    lines.add("id         " + s.path("id").asText());
    String label = target.label();
    lines.add("namespace  " + s.path("namespace").asText() + (target.facet() != null
        ? " (a facet of " + label.substring(0, label.length() - target.facet().length() - 1) + ")"
        : " (" + target.namespace().label()
            + (target.namespace().className() == null ? "" : ", " + target.namespace().className()) + ")"));
    lines.add("stored     " + (s.path("hasStoredData").asBoolean()
        ? "yes, " + Text.bytes(s.path("size").path("database_bytes").asLong()) + " of data"
            + (s.path("size").path("file_bytes").asLong() > 0
                ? ", " + Text.bytes(s.path("size").path("file_bytes").asLong()) + " on disk" : "")
        : "no"));
    lines.add("in memory  " + (s.path("live").asBoolean() ? "yes" : "no"));
    lines.add("key-value  " + Text.count(s.path("kv_entries").asLong(), "entry", "entries"));
    List<String> tables = new ArrayList<>();
    for (JsonNode t : s.path("tables")) {
      tables.add(t.path("name").asText() + " (" + Text.count(t.path("rows").asLong(), "row", "rows") + ")");
    }
    lines.add("tables     " + (tables.isEmpty() ? "none" : String.join(", ", tables)));
    lines.add("alarm      " + AlarmCommands.describe(s.path("alarm")));
    if (target.facet() == null) {
      List<String> facets = new ArrayList<>();
      s.path("facets").forEach(f -> facets.add(f.path("name").asText() + " (" + f.path("class").asText() + ")"));
      lines.add("facets     " + (facets.isEmpty() ? "none" : String.join(", ", facets)));
    }
    return new Output(s, new Output.Lines(lines));
  }

  private static Output evict(Session session, Arguments args) {
    args.end();
    Target target = session.requireTarget("evict");
    JsonNode r = session.client().post(target.path("/evict"), null).result();
    return Output.of(r, r.path("was_live").asBoolean()
        ? "Evicted " + target.label() + ": the next call runs its constructor again."
        : target.label() + " had no instance in memory; nothing to evict.");
  }

  /** {@code 2 tables, 1 key-value entry, no alarm}. */
  private static String contents(JsonNode summary) {
    int tables = summary.path("tables").size();
    return Text.count(tables, "table", "tables") + ", "
        + Text.count(summary.path("kv_entries").asLong(), "key-value entry", "key-value entries")
        + ", " + (summary.path("alarm").path("scheduled_time").isTextual()
            ? "alarm at " + summary.path("alarm").path("scheduled_time").asText() : "no alarm");
  }

  static JsonNode text(String s) {
    return ExplorerClient.NODES.textNode(s);
  }
}
