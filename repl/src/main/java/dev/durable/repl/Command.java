package dev.durable.repl;

import java.util.List;

/**
 * One command of the REPL: its name, how it is written, what it does, what runs it and what
 * completion offers for each of its arguments. The same table serves the console and scripts.
 *
 * @param name the word that runs it
 * @param arguments how its arguments are written, e.g. {@code <key> <json>} (empty for none)
 * @param summary one line for {@code help}
 * @param details the text of {@code help <command>}: what it does, with examples
 * @param slots what each argument may be, for completion, in order
 * @param handler what runs it
 */
record Command(String name, String arguments, String summary, String details, List<Slot> slots,
    Handler handler) {

  /** Runs a command against the session. */
  @FunctionalInterface
  interface Handler {
    Output run(Session session, Arguments args);
  }

  /** How the command is written: its name and its arguments. */
  String usage() {
    return arguments.isEmpty() ? name : name + " " + arguments;
  }

  /** What completion offers for the argument at a position (0 is the first after the name). */
  Slot slot(int position) {
    if (position < slots.size()) {
      return slots.get(position);
    }
    Slot last = slots.isEmpty() ? Slot.NONE : slots.get(slots.size() - 1);
    return last.kind() == Slot.Kind.SQL ? last : Slot.NONE;
  }
}
