package dev.durable.repl;

/**
 * The object the REPL works on: a namespace and the object's name or id (with its name too when
 * the object has one).
 *
 * @param namespace the namespace
 * @param name the object's name, or null when it is known only by id
 * @param id the object's 64-hex id, or null when it is addressed by name and not yet looked up
 */
record Target(NamespaceInfo namespace, String name, String id) {
  private static final int SHORT_ID = 12;

  /** How the explorer's paths address it: {@code name:<name>} or the id. */
  String segment() {
    return name != null ? "name:" + name : id;
  }

  /** The object's path under the explorer's base, percent-encoded. */
  String path() {
    return ExplorerClient.NAMESPACES + "/" + ExplorerClient.segment(namespace.id()) + "/objects/"
        + ExplorerClient.segment(segment());
  }

  /** As the prompt shows it: {@code COUNTER/a}, or the id's start when it has no name. */
  String label() {
    return namespace.label() + "/" + (name != null ? name : id.substring(0, SHORT_ID) + "…");
  }

  /** Whether a word is a 64-hex object id. */
  static boolean isId(String word) {
    return word.length() == 64 && word.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
