package dev.durable.repl;

/**
 * The loop: reads an entry, runs it through the command table, prints the result or the error.
 * At the console an error is shown and the session goes on; in a script it is shown with its
 * line number and stops the script, unless it was told to keep going.
 */
final class Shell {
  private final CommandTable commands;
  private final Session session;
  private final Input input;
  private final Printer printer;
  private final boolean keepGoing;

  Shell(CommandTable commands, Session session, Input input, Printer printer, boolean keepGoing) {
    this.commands = commands;
    this.session = session;
    this.input = input;
    this.printer = printer;
    session.printTo(printer);
    this.keepGoing = keepGoing;
  }

  /** Runs until the input ends or {@code exit}; returns the exit status (1 if a script command failed). */
  int run() {
    int failures = 0;
    while (!session.exited()) {
      Input.Entry entry;
      try {
        entry = input.next(session);
      } catch (Input.InputException e) {
        printer.error(where(e.line()) + e.getMessage());
        return 1;
      }
      if (entry == null) {
        break;
      }
      if (entry.text().isBlank()) {
        continue;
      }
      if (!runOne(entry)) {
        failures++;
        if (!input.interactive() && !keepGoing) {
          return 1;
        }
      }
    }
    return failures > 0 && !input.interactive() ? 1 : 0;
  }

  private boolean runOne(Input.Entry entry) {
    try {
      Output output = input.run(() -> commands.run(session, entry.text()));
      printer.print(output, session.format());
      return true;
    } catch (ReplException e) {
      printer.error(where(entry.line()) + e.getMessage());
    } catch (RuntimeException e) {
      // A bug of the REPL, not of the user's command: still one line, with what it was.
      printer.error(where(entry.line()) + "Internal error of the REPL: " + e);
    }
    return false;
  }

  private String where(int line) {
    return input.interactive() ? "Error: " : input.source() + ":" + line + ": ";
  }
}
