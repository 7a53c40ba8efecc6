package dev.durable.repl;

import java.util.function.Supplier;

/**
 * Where the REPL's entries come from, as jshell splits it: the interactive console (a prompt,
 * line editing, completion, history) or a script (a file or piped standard input: no prompt, no
 * echo, line numbers for errors). The shell runs both through one command table.
 */
interface Input extends AutoCloseable {
  /**
   * One entry to run: a command line, or SQL that may span lines.
   *
   * @param text the entry's text
   * @param line the line it starts on (1-based)
   */
  record Entry(String text, int line) {}

  /** The next entry, or null at the end of the input. */
  Entry next(Session session);

  /** Whether a person types the entries (errors then do not stop the session). */
  boolean interactive();

  /** Where errors point: the script's name, or {@code null} for the console. */
  String source();

  /** Runs a command; the console lets Ctrl-C interrupt it. */
  default <T> T run(Supplier<T> command) {
    return command.get();
  }

  @Override
  void close();

  /** The input ended in the middle of an entry, or could not be read. */
  final class InputException extends ReplException {
    private final int line;

    InputException(String message, int line) {
      super(message);
      this.line = line;
    }

    /** The line the broken entry starts on. */
    int line() {
      return line;
    }
  }
}
