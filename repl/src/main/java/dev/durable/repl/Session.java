package dev.durable.repl;

/**
 * What a REPL session remembers between commands: the emulator it talks to, the object in use
 * and the output format.
 */
final class Session {
  /** How results are printed. */
  enum Format {
    /** Aligned tables and text, for people. */
    TABLE,
    /** One compact JSON document per result, for programs. */
    JSON
  }

  private final ExplorerClient client;
  private final Namespaces namespaces;
  private Target target;
  private Format format;
  private boolean exited;
  private Printer printer;

  Session(ExplorerClient client, Format format) {
    this.client = client;
    this.namespaces = new Namespaces(client);
    this.format = format;
  }

  ExplorerClient client() {
    return client;
  }

  Namespaces namespaces() {
    return namespaces;
  }

  /** The object in use, or null. */
  Target target() {
    return target;
  }

  /** The object in use, or an error telling how to choose one. */
  Target requireTarget(String command) {
    if (target == null) {
      throw new ReplException(command + ": no object in use. Choose one first: use <namespace>"
          + " <name|id> (namespaces lists the namespaces, objects <namespace> their objects)");
    }
    return target;
  }

  void use(Target target) {
    this.target = target;
  }

  Format format() {
    return format;
  }

  void format(Format format) {
    this.format = format;
  }

  /** Where a command prints what arrives before it is done (a streamed body); null: nowhere. */
  Printer printer() {
    return printer;
  }

  void printTo(Printer printer) {
    this.printer = printer;
  }

  /** Whether {@code exit} was run. */
  boolean exited() {
    return exited;
  }

  void exit() {
    exited = true;
  }

  /** The console's prompt: {@code durable>} or {@code COUNTER/a>}. */
  String prompt() {
    return (target == null ? "durable" : target.label()) + "> ";
  }
}
