package dev.durable.repl;

import static dev.durable.repl.Slot.Kind.COMMAND;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command of the REPL, and how a line finds its command: by its first word (any case),
 * or as SQL when it starts with a SQL keyword. The console and scripts run lines through the
 * same table.
 */
final class CommandTable {
  private static final Map<String, String> ALIASES = Map.of("quit", "exit", "?", "help");

  private final Map<String, Command> commands = new LinkedHashMap<>();

  private CommandTable() {}

  /** The REPL's commands. */
  static CommandTable standard() {
    CommandTable t = new CommandTable();
    ObjectCommands.commands().forEach(t::add);
    StorageCommands.commands().forEach(t::add);
    SqlCommands.commands().forEach(t::add);
    CallCommands.commands().forEach(t::add);
    AlarmCommands.commands().forEach(t::add);
    t.add(new Command("format", "json|table", "Print results as tables or JSON",
        """
        Switches how results are printed: 'table' (aligned tables and text, for people) or
        'json' (one compact JSON document per result, the explorer's answer, for programs).
        --json on the command line starts in json.""",
        List.of(Slot.words("json", "table")), CommandTable::format));
    t.add(new Command("help", "[command]", "List the commands, or explain one",
        "Lists the commands; 'help <command>' explains one, with examples.",
        List.of(Slot.of(COMMAND)), t::help));
    t.add(new Command("exit", "", "Leave (also: quit, Ctrl-D)",
        "Leaves the REPL; in a script, stops it with exit status 0 (or 1 if a command failed).",
        List.of(), CommandTable::exit));
    return t;
  }

  private void add(Command c) {
    if (commands.putIfAbsent(c.name(), c) != null) {
      throw new IllegalStateException("Command " + c.name() + " is declared twice");
    }
  }

  /** The commands, in the order help lists them. */
  Collection<Command> all() {
    return Collections.unmodifiableCollection(commands.values());
  }

  /** The command a word names (any case, aliases too), or null. */
  Command find(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    return commands.get(ALIASES.getOrDefault(w, w));
  }

  /** Runs one entry: a command line, or SQL. */
  Output run(Session session, String entry) {
    String line = entry.strip();
    if (SqlText.startsSql(line)) {
      return SqlCommands.run(session, line);
    }
    int end = 0;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
      end++;
    }
    String word = line.substring(0, end);
    Command c = find(word);
    if (c == null) {
      throw new ReplException("Unknown command '" + word + "'" + suggestion(word)
          + ". Type 'help' for the commands.");
    }
    return c.handler().run(session, new Arguments(c, line.substring(end)));
  }

  /**
   * The command the word most likely meant: one it starts or is the start of, else the nearest
   * by edit distance (at most 2), among the commands and the words that begin SQL.
   */
  private String suggestion(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.isEmpty()) {
      return "";
    }
    List<String> close = new ArrayList<>();
    for (String name : commands.keySet()) {
      if (name.startsWith(w) || w.startsWith(name)) {
        close.add(name);
      }
    }
    if (close.size() == 1) {
      return " (did you mean '" + close.get(0) + "'?)";
    }
    String best = null;
    int bestDistance = 3;
    for (String name : commands.keySet()) {
      int d = Text.editDistance(w, name);
      if (d < bestDistance) {
        best = "'" + name + "'";
        bestDistance = d;
      }
    }
    for (String sql : SqlText.STARTERS.stream().sorted().toList()) {
      int d = Text.editDistance(w, sql);
      if (d < bestDistance) {
        best = "SQL: " + sql.toUpperCase(Locale.ROOT) + " ...";
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private Output help(Session session, Arguments args) {
    String word = args.nextOrNull();
    args.end();
    if (word != null) {
      Command c = find(word);
      if (c == null) {
        throw new ReplException("help: no command '" + word + "'. Type 'help' for the commands.");
      }
      List<String> lines = new ArrayList<>();
      lines.add(c.usage());
      lines.add("");
      c.details().lines().forEach(l -> lines.add("  " + l));
      return new Output(null, new Output.Lines(lines));
    }
    int width = commands.values().stream().mapToInt(c -> c.usage().length()).max().orElse(0);
    List<String> lines = new ArrayList<>();
    lines.add("Commands (a line that starts with a SQL keyword runs as SQL, until ';'):");
    for (Command c : commands.values()) {
      lines.add("  " + c.usage() + " ".repeat(width - c.usage().length() + 2) + c.summary());
    }
    lines.add("Type 'help <command>' for details and examples. Tab completes commands,");
    lines.add("namespaces, objects, keys, tables, columns, methods and SQL keywords.");
    return new Output(null, new Output.Lines(lines));
  }

  private static Output format(Session session, Arguments args) {
    String word = args.next("json or table");
    args.end();
    Session.Format format = switch (word.toLowerCase(Locale.ROOT)) {
      case "json" -> Session.Format.JSON;
      case "table" -> Session.Format.TABLE;
      default -> throw args.usage("'" + word + "' is not a format");
    };
    session.format(format);
    return Output.of(ExplorerClient.NODES.objectNode().put("format", word.toLowerCase(Locale.ROOT)),
        "Results are printed as " + (format == Session.Format.JSON ? "JSON" : "tables") + ".");
  }

  private static Output exit(Session session, Arguments args) {
    args.end();
    session.exit();
    return new Output(null, new Output.Lines(List.of()));
  }
}
