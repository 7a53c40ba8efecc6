package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The emulator's namespaces, read through the explorer and kept until refreshed (by
 * {@code namespaces}, or when a name is not found: live reload may have changed them). An
 * explorer without the namespace detail route (another emulator) still works: namespaces are then
 * known by class and id, without bindings or methods.
 */
final class Namespaces {
  private final ExplorerClient client;
  private List<NamespaceInfo> known;

  Namespaces(ExplorerClient client) {
    this.client = client;
  }

  /** The namespaces, read once. */
  List<NamespaceInfo> all() {
    return known != null ? known : refresh();
  }

  /** Reads the namespaces again. */
  List<NamespaceInfo> refresh() {
    List<NamespaceInfo> out = new ArrayList<>();
    for (JsonNode entry : client.get(ExplorerClient.NAMESPACES).result()) {
      out.add(NamespaceInfo.from(entry, detail(entry.path("id").asText())));
    }
    known = List.copyOf(out);
    return known;
  }

  private JsonNode detail(String id) {
    try {
      return client.get(ExplorerClient.NAMESPACES + "/" + ExplorerClient.segment(id)).result();
    } catch (ExplorerClient.ExplorerException e) {
      if (e.status() == 404 && e.code() != 10066) {
        return null; // an explorer without the detail route
      }
      throw e;
    }
  }

  /** The namespace a word names (binding, class name or namespace id), or an error listing them. */
  NamespaceInfo resolve(String word) {
    return find(all(), word).or(() -> find(refresh(), word)).orElseThrow(
        () -> new ReplException("No namespace '" + word + "'. Namespaces: " + describe(known)));
  }

  /** The namespace with this id after a refresh, for a session whose classes were reloaded. */
  NamespaceInfo fresh(String id) {
    return refresh().stream().filter(ns -> ns.id().equals(id)).findFirst().orElseThrow(() ->
        new ReplException("The namespace " + id + " is gone (was the configuration changed?)"));
  }

  private static Optional<NamespaceInfo> find(List<NamespaceInfo> namespaces, String word) {
    return namespaces.stream().filter(ns -> ns.isNamedBy(word)).findFirst();
  }

  private static String describe(List<NamespaceInfo> namespaces) {
    if (namespaces.isEmpty()) {
      return "none (the emulator binds no Durable Object class)";
    }
    return namespaces.stream().map(ns -> ns.label() + " (" + ns.id() + ")").collect(Collectors.joining(", "));
  }
}
