package dev.durable.agents;

import java.util.Locale;

/**
 * How an agent's class or binding name appears in URLs and frames: kebab case, as the
 * JavaScript client writes it ({@code CounterAgent} and {@code COUNTER_AGENT} both become
 * {@code counter-agent}).
 */
public final class AgentNames {
  private AgentNames() {}

  /**
   * The kebab-case form of a class or binding name: an all-capitals name is lower-cased with
   * {@code _} turned into {@code -}; otherwise each capital starts a new lower-case word.
   */
  public static String kebab(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("An agent name to kebab-case must not be empty, got '" + name + "'");
    }
    if (name.equals(name.toUpperCase(Locale.ROOT)) && !name.equals(name.toLowerCase(Locale.ROOT))) {
      return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (c >= 'A' && c <= 'Z') {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    String kebab = out.charAt(0) == '-' ? out.substring(1) : out.toString();
    kebab = kebab.replace('_', '-');
    return kebab.endsWith("-") ? kebab.substring(0, kebab.length() - 1) : kebab;
  }
}
