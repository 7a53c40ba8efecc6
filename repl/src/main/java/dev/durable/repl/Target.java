package dev.durable.repl;

/**
 * The object the REPL works on: a namespace and the object's name or id (with its name too when
 * the object has one), or one of that object's facets.
 *
 * @param namespace the namespace
 * @param name the object's name, or null when it is known only by id
 * @param id the object's 64-hex id, or null when it is addressed by name and not yet looked up
 * @param facet the name of the object's facet worked on, or null for the object itself
 */
record Target(NamespaceInfo namespace, String name, String id, String facet) {
  private static final int SHORT_ID = 12;

  /** The object itself, not a facet. */
  Target(NamespaceInfo namespace, String name, String id) {
    this(namespace, name, id, null);
  }

  /** How the explorer's paths address it: {@code name:<name>} or the id. */
  String segment() {
    return name != null ? "name:" + name : id;
  }

  /** The object's path under the explorer's base, percent-encoded (the parent's, for a facet). */
  String path() {
    return ExplorerClient.NAMESPACES + "/" + ExplorerClient.segment(namespace.id()) + "/objects/"
        + ExplorerClient.segment(segment());
  }

  /**
   * The path of one of the object's routes ({@code /tables}, {@code /kv?limit=10}), with the
   * query parameter that points it at the facet in use.
   */
  String path(String route) {
    String path = path() + route;
    return facet == null ? path
        : path + (route.contains("?") ? "&" : "?") + "facet=" + ExplorerClient.query(facet);
  }

  /** As the prompt shows it: {@code COUNTER/a}, the id's start when it has no name, then the facet. */
  String label() {
    return namespace.label() + "/" + (name != null ? name : id.substring(0, SHORT_ID) + "…")
        + (facet != null ? "/" + facet : "");
  }

  /** Whether a word is a 64-hex object id. */
  static boolean isId(String word) {
    return word.length() == 64 && word.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
