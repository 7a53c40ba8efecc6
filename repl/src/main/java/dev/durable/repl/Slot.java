package dev.durable.repl;

import java.util.List;

/**
 * What an argument of a command may be, so that completion can offer it: a kind whose
 * candidates come from the emulator (namespaces, objects, keys, tables, methods), or fixed words.
 */
record Slot(Kind kind, List<String> words) {
  /** Where the candidates come from. */
  enum Kind {
    /** Nothing to offer (free text, JSON). */
    NONE,
    /** Binding names of the namespaces. */
    NAMESPACE,
    /** Objects of the namespace named by the previous argument. */
    OBJECT,
    /** Key-value keys of the current object. */
    KEY,
    /** Tables of the current object. */
    TABLE,
    /** Methods of the current object's class. */
    METHOD,
    /** Command names. */
    COMMAND,
    /** SQL keywords, tables and columns of the current object; repeats for every later word. */
    SQL,
    /** The fixed words given. */
    WORDS
  }

  static final Slot NONE = new Slot(Kind.NONE, List.of());

  static Slot of(Kind kind) {
    return new Slot(kind, List.of());
  }

  static Slot words(String... words) {
    return new Slot(Kind.WORDS, List.of(words));
  }
}
