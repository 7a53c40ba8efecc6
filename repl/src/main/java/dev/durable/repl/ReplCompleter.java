package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * What Tab offers: command names and SQL keywords first; then, by the command's argument slots,
 * namespaces, object names, keys, tables, method names, or fixed words; inside SQL, keywords
 * with the tables and columns of the object in use. Candidates from the emulator are read when
 * Tab is pressed, so they are never stale.
 */
final class ReplCompleter implements Completer {
  private static final int LIMIT = 1000;

  private final CommandTable commands;
  private final Session session;

  ReplCompleter(CommandTable commands, Session session) {
    this.commands = commands;
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    candidates.addAll(candidates(line.words(), line.wordIndex()));
  }

  /** The candidates for the word at {@code index} of a line split into {@code words}. */
  List<Candidate> candidates(List<String> words, int index) {
    List<Candidate> out = new ArrayList<>();
    if (index == 0) {
      for (Command c : commands.all()) {
        out.add(new Candidate(c.name(), c.name(), "commands", c.summary(), null, null, true));
      }
      for (String k : SqlText.STARTERS) {
        String word = k.toUpperCase(Locale.ROOT);
        if (commands.find(k) == null) {
          out.add(new Candidate(word, word, "SQL", null, null, null, true));
        }
      }
      return out;
    }
    String first = words.get(0).toLowerCase(Locale.ROOT);
    boolean deleteFrom = first.equals("delete") && words.size() > 2 && words.get(1).equalsIgnoreCase("from");
    if (SqlText.STARTERS.contains(first) && (!first.equals("delete") || deleteFrom)) {
      return sql();
    }
    Command c = commands.find(first);
    if (c == null) {
      return out;
    }
    if (first.equals("delete") && index == 1) {
      out.add(new Candidate("FROM", "FROM", "SQL", "delete rows with SQL", null, null, true));
    }
    String previous = words.get(index - 1);
    try {
      out.addAll(slot(c.slot(index - 1), previous, index < words.size() ? words.get(index) : ""));
    } catch (ReplException e) {
      // No emulator, no object in use, an unknown namespace: nothing to offer, and Tab must not
      // print errors into the line being typed.
    }
    return out;
  }

  private List<Candidate> slot(Slot slot, String previous, String typed) {
    List<Candidate> out = new ArrayList<>();
    switch (slot.kind()) {
      case NONE -> { }
      case WORDS -> slot.words().forEach(w -> out.add(plain(w, null)));
      case COMMAND -> commands.all().forEach(c -> out.add(plain(c.name(), c.summary())));
      case NAMESPACE -> {
        for (NamespaceInfo ns : session.namespaces().refresh()) {
          out.add(new Candidate(ns.label(), ns.label(), "namespaces", ns.id(), null, null, true));
        }
      }
      case OBJECT -> {
        NamespaceInfo ns = session.namespaces().resolve(previous);
        JsonNode objects = session.client().get(ExplorerClient.NAMESPACES + "/"
            + ExplorerClient.segment(ns.id()) + "/objects?limit=" + LIMIT).result();
        for (JsonNode o : objects) {
          String id = o.path("id").asText();
          String name = o.path("name").asText(null);
          out.add(name != null ? plain(name, "id " + id.substring(0, 12) + "…") : plain(id, "no name"));
        }
      }
      case KEY -> {
        Target t = session.requireTarget("complete");
        JsonNode entries = session.client().get(t.path("/kv?limit=" + LIMIT
            + (typed.isEmpty() ? "" : "&prefix=" + ExplorerClient.query(unquote(typed))))).result();
        entries.forEach(e -> out.add(plain(e.path("key").asText(), null)));
      }
      case TABLE -> tables().forEach(t -> out.add(plain(t.path("name").asText(), t.path("type").asText())));
      case METHOD -> {
        Target t = session.requireTarget("complete");
        for (NamespaceInfo.RpcMethod m : session.namespaces().fresh(t.namespace().id()).methods()) {
          out.add(new Candidate(m.name(), m.name() + m.signature(), "methods", null, null, m.name(), true));
        }
      }
      case SQL -> out.addAll(sql());
    }
    return out;
  }

  private List<Candidate> sql() {
    List<Candidate> out = new ArrayList<>();
    try {
      Set<String> columns = new LinkedHashSet<>();
      for (JsonNode t : tables()) {
        out.add(new Candidate(t.path("name").asText(), t.path("name").asText(), "tables", null, null, null, true));
        t.path("columns").forEach(c -> columns.add(c.path("name").asText()));
      }
      columns.forEach(c -> out.add(new Candidate(c, c, "columns", null, null, null, true)));
    } catch (ReplException e) {
      // No object in use, or no emulator: keywords alone.
    }
    SqlText.KEYWORDS.forEach(k -> out.add(new Candidate(k, k, "keywords", null, null, null, true)));
    return out;
  }

  private JsonNode tables() {
    return session.client().get(session.requireTarget("complete").path("/tables")).result();
  }

  private static Candidate plain(String value, String description) {
    return new Candidate(value, value, null, description, null, null, true);
  }

  private static String unquote(String typed) {
    return typed.startsWith("\"") || typed.startsWith("'") ? typed.substring(1) : typed;
  }
}
