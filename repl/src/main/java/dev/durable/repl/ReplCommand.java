package dev.durable.repl;

import dev.durable.internal.cli.CommandLine;
import dev.durable.internal.config.ConfigException;
import dev.durable.internal.reload.UserClasses;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.InfoCmp;

/**
 * {@code durable repl}: a shell on the Durable Objects of a running emulator, through its
 * explorer API only, so it works against any emulator that serves it. At a terminal it is
 * interactive; given a script ({@code -f}) or piped input it runs the commands and exits.
 *
 * <pre>{@code
 * durable repl                                  # the emulator on http://127.0.0.1:8787
 * durable repl --url http://127.0.0.1:9000
 * durable repl --embedded --config durable.jsonc --in-memory
 * durable repl -f setup.durable --json
 * }</pre>
 */
public final class ReplCommand {
  private ReplCommand() {}

  /**
   * Runs the REPL with the command line's arguments on the process's standard streams.
   *
   * @return the exit status: 0 when every command succeeded, 1 when one failed or no emulator
   *     answered, 2 for bad options
   */
  public static int run(String[] args) {
    return run(args, System.in, System.out, System.err, System.getenv(), null);
  }

  /**
   * Runs the REPL on given streams. With a {@code console} terminal the session is interactive on
   * it (unless a script is given); without one it is interactive only when standard input is a
   * terminal.
   */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
      Map<String, String> env, Terminal console) {
    ReplOptions options;
    try {
      options = ReplOptions.parse(args, env);
    } catch (CommandLine.UsageException e) {
      err.println("durable repl: " + e.getMessage());
      err.println("Run 'durable repl --help' for the options.");
      return 2;
    }
    if (options.help()) {
      out.print(ReplOptions.HELP);
      return 0;
    }
    Emulator emulator = null;
    try {
      String url = options.url();
      if (options.embedded() != null) {
        emulator = startEmbedded(options.embedded());
        url = emulator.url();
      }
      boolean script = options.script() != null || (console == null && !(in == System.in && stdinIsTerminal()));
      Session session = new Session(new ExplorerClient(url, options.token()),
          options.json() ? Session.Format.JSON : Session.Format.TABLE);
      return script ? runScript(options, session, in, out, err)
          : runConsole(options, session, console, emulator);
    } catch (RuntimeException e) {
      // Outside any command (the embedded emulator, the terminal): still one line.
      err.println("durable repl: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  private static int runScript(ReplOptions options, Session session, InputStream in, PrintStream out,
      PrintStream err) {
    Printer printer = new Printer(new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8), false);
    if (!connect(session, printer)) {
      return 1;
    }
    boolean fromStdin = options.script() == null || options.script().equals("-");
    BufferedReader reader;
    try {
      reader = fromStdin ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          : Files.newBufferedReader(Path.of(options.script()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      printer.error("durable repl: cannot read " + options.script() + ": " + e.getMessage());
      return 1;
    }
    try (ScriptInput input = new ScriptInput(reader, fromStdin ? "stdin" : options.script())) {
      return new Shell(CommandTable.standard(), session, input, printer, options.keepGoing()).run();
    }
  }

  private static int runConsole(ReplOptions options, Session session, Terminal given, Emulator emulator) {
    Terminal terminal = given != null ? given : systemTerminal();
    try {
      Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
      boolean colour = options.colour() && colours != null && colours >= 8;
      Printer printer = new Printer(terminal.writer(), terminal.writer(), colour);
      if (!connect(session, printer)) {
        return 1;
      }
      if (emulator != null) {
        printer.info("Started an embedded emulator at " + emulator.url() + ".");
      }
      List<NamespaceInfo> namespaces = session.namespaces().all();
      printer.info("durable repl on " + session.client().url() + ": " + (namespaces.isEmpty()
          ? "no namespaces." : "namespaces " + namespaces.stream().map(NamespaceInfo::label)
              .collect(Collectors.joining(", ")) + "."));
      printer.info("Type 'help' for the commands and Tab to complete; Ctrl-D leaves.");
      CommandTable commands = CommandTable.standard();
      try (ConsoleInput input = new ConsoleInput(terminal, new ReplCompleter(commands, session),
          options.history(), colour)) {
        return new Shell(commands, session, input, printer, true).run();
      }
    } finally {
      if (given == null) {
        close(terminal);
      }
    }
  }

  /** Checks that the explorer answers; says why not in one line. */
  private static boolean connect(Session session, Printer printer) {
    try {
      session.namespaces().refresh();
      return true;
    } catch (ReplException e) {
      printer.error(e.getMessage());
      return false;
    }
  }

  private static Emulator startEmbedded(EmulatorOptions options) {
    // The emulator's request log and the server's start-up lines would interleave with the
    // REPL's output: warnings only (unless the user's JVM options say otherwise).
    for (String logger : List.of("org.slf4j.simpleLogger.defaultLogLevel", "org.slf4j.simpleLogger.log.dev.durable")) {
      if (System.getProperty(logger) == null) {
        System.setProperty(logger, "warn");
      }
    }
    Emulator emulator;
    try {
      emulator = Emulator.start(options);
    } catch (ConfigException | UserClasses.ClassLoadingException | IllegalArgumentException ex) {
      throw new ReplException("the embedded emulator did not start: " + ex.getMessage());
    }
    if (emulator.server().extensions().isEmpty()) {
      emulator.close();
      throw new ReplException("the explorer API (module explorer-api) is not on the classpath;"
          + " the REPL speaks only through it");
    }
    return emulator;
  }

  private static Terminal systemTerminal() {
    try {
      return TerminalBuilder.builder().system(true).name("durable").build();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the terminal: " + e.getMessage(), e);
    }
  }

  private static void close(Terminal terminal) {
    try {
      terminal.close();
    } catch (IOException e) {
      // The session is over; a terminal that fails to restore its mode has nothing left to lose.
    }
  }

  /**
   * Whether standard input is a terminal, asked of JLine's providers as its own terminal builder
   * does (ffm needs JDK 22 and native access; exec works everywhere a shell does).
   */
  static boolean stdinIsTerminal() {
    for (String provider : List.of("ffm", "exec")) {
      try {
        return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
      } catch (IOException | RuntimeException | LinkageError e) {
        // This provider is not available here: ask the next one.
      }
    }
    return false;
  }
}
