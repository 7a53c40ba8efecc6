package dev.durable.repl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Entries typed at the console, read with JLine: a prompt that shows the object in use, line
 * editing, completion, history kept in a file, SQL over several lines until {@code ;}. Ctrl-C
 * drops the line being typed (or abandons a running command); Ctrl-D on an empty line ends.
 */
final class ConsoleInput implements Input {
  private static final String BOLD_GREEN = "\u001b[1;32m";
  private static final String RESET = "\u001b[0m";

  private final Terminal terminal;
  private final LineReader reader;
  private final boolean colour;
  private int entries;

  /**
   * @param terminal the terminal to read from and print to
   * @param completer what Tab offers
   * @param history the history file, or null to keep none
   * @param colour whether the prompt may be coloured
   */
  ConsoleInput(Terminal terminal, ReplCompleter completer, Path history, boolean colour) {
    this.terminal = terminal;
    this.colour = colour;
    LineReaderBuilder builder = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("durable")
        .parser(new ReplParser())
        .completer(completer)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P ...> ") // "...>" under the prompt's end
        .variable(LineReader.HISTORY_SIZE, 2000)
        .variable(LineReader.HISTORY_FILE_SIZE, 2000)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL's, not history's
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
        .option(LineReader.Option.AUTO_FRESH_LINE, true);
    if (history != null) {
      builder.variable(LineReader.HISTORY_FILE, history);
    }
    this.reader = builder.build();
  }

  @Override
  public Entry next(Session session) {
    String prompt = colour ? BOLD_GREEN + session.prompt().stripTrailing() + RESET + " " : session.prompt();
    while (true) {
      try {
        String line = reader.readLine(prompt);
        entries++;
        return new Entry(line, entries);
      } catch (UserInterruptException e) {
        // Ctrl-C: the line is dropped; a fresh prompt follows.
      } catch (EndOfFileException e) {
        terminal.writer().println(); // Ctrl-D: the shell's next prompt starts on a line of its own
        terminal.writer().flush();
        return null;
      }
    }
  }

  /** Lets Ctrl-C interrupt the command (an HTTP request waiting for its answer is abandoned). */
  @Override
  public <T> T run(Supplier<T> command) {
    Thread runner = Thread.currentThread();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> runner.interrupt());
    try {
      return command.get();
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      Thread.interrupted(); // an interrupt that came too late to matter must not hit the next read
    }
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public String source() {
    return null;
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      terminal.writer().println("Could not save the history: " + e.getMessage());
      terminal.writer().flush();
    }
  }
}
