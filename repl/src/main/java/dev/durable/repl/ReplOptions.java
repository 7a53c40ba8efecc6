package dev.durable.repl;

import static dev.durable.internal.cli.CommandLine.value;

import dev.durable.internal.cli.CommandLine;
import dev.durable.internal.cli.CommandLine.UsageException;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.EmulatorOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The options of {@code durable repl}, parsed and checked.
 *
 * @param url the emulator to talk to
 * @param token the explorer token to send, or null
 * @param embedded the options of an emulator to start in-process, or null to connect to {@code url}
 * @param script the file of commands to run ({@code -} for standard input), or null
 * @param keepGoing whether a script goes on after a failed command
 * @param json whether results start out as JSON
 * @param history the history file of the console, or null for none
 * @param colour whether the console may use colour (it still needs a terminal that has it)
 * @param help whether only the help was asked for
 */
record ReplOptions(String url, String token, EmulatorOptions embedded, String script,
    boolean keepGoing, boolean json, Path history, boolean colour, boolean help) {

  /** The default emulator address, where {@code durable dev} listens. */
  static final String DEFAULT_URL = "http://127.0.0.1:8787";

  static final String HELP = """
      Usage: durable repl [options]

      A shell on the Durable Objects of a running emulator ('durable dev'), through
      its explorer API: list namespaces and objects, read and write key-value
      entries, run SQL, call methods, send requests, set and run alarms, evict.
      Type 'help' inside.

      Options:
        --url URL            The emulator to talk to (default %1$s).
        --explorer-token T   Send 'Authorization: Bearer T' to the explorer
                             (also read from DURABLE_EXPLORER_TOKEN).
        --embedded           Start an emulator in this process instead:
          --config FILE      its durable.jsonc (default: ./durable.jsonc),
          --classpath PATHS  its compiled classes, separated by '%2$s'
                             (default: target/classes beside the config),
          --state DIR        where it keeps state (default: .durable/state
                             beside the config), or
          --in-memory        keep no state.
        -f, --file FILE      Run the commands in FILE ('-' for standard input),
                             then exit. Piped standard input is a script too.
        --keep-going         In a script, go on after a failed command.
        --json               Print results as JSON, one document per line.
        --history FILE       The console's history (default: ~/.durable_history;
                             also read from DURABLE_HISTORY).
        --no-color           No colour, even on a terminal (also: NO_COLOR set).
        --help, -h           Show this text.

      Scripts: one command per line; '#' starts a comment line; SQL may span lines
      until ';'. No prompt, no echo; the first failed command stops the script with
      its line number. Exit status: 0 when every command succeeded, 1 when one
      failed or no emulator answered, 2 for bad options.
      """.formatted(DEFAULT_URL, File.pathSeparator);

  /** Parses the command line; {@code env} supplies DURABLE_EXPLORER_TOKEN, DURABLE_HISTORY, NO_COLOR and HOME. */
  static ReplOptions parse(String[] args, Map<String, String> env) {
    String url = DEFAULT_URL;
    boolean urlGiven = false;
    String token = blankToNull(env.get("DURABLE_EXPLORER_TOKEN"));
    boolean embedded = false;
    Path config = null;
    String classpath = null;
    Path state = null;
    boolean inMemory = false;
    String script = null;
    boolean keepGoing = false;
    boolean json = false;
    String history = blankToNull(env.get("DURABLE_HISTORY"));
    boolean colour = env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--url" -> {
          url = value(args, ++i, a);
          urlGiven = true;
        }
        case "--explorer-token" -> token = value(args, ++i, a);
        case "--embedded" -> embedded = true;
        case "--config" -> config = Path.of(value(args, ++i, a));
        case "--classpath", "-cp" -> classpath = value(args, ++i, a);
        case "--state" -> state = Path.of(value(args, ++i, a));
        case "--in-memory" -> inMemory = true;
        case "-f", "--file" -> script = value(args, ++i, a);
        case "--keep-going" -> keepGoing = true;
        case "--json" -> json = true;
        case "--history" -> history = value(args, ++i, a);
        case "--no-color", "--no-colour" -> colour = false;
        case "--help", "-h" -> help = true;
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new UsageException("--url must start with http:// or https://, got '" + url + "'");
    }
    if (!embedded && (config != null || classpath != null || state != null || inMemory)) {
      throw new UsageException("--config, --classpath, --state and --in-memory go with --embedded");
    }
    if (embedded && urlGiven) {
      throw new UsageException("--embedded starts its own emulator; it takes no --url");
    }
    if (script != null && !script.equals("-") && !Files.isRegularFile(Path.of(script))) {
      throw new UsageException("no script at " + Path.of(script).toAbsolutePath().normalize());
    }
    EmulatorOptions emb = !embedded || help ? null : CommandLine.project(config, classpath, state,
        inMemory).withServer(DevServer.Options.defaults().port(0));
    Path historyFile = history != null ? Path.of(history)
        : env.get("HOME") != null ? Path.of(env.get("HOME"), ".durable_history") : null;
    return new ReplOptions(url, token, emb, script, keepGoing, json, historyFile, colour, help);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
