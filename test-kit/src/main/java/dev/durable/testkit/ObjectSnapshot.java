package dev.durable.testkit;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectStub;
import dev.durable.internal.json.Json;
import dev.durable.runtime.ObjectTools;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one object has stored, read at one moment through its gate (so never half of an event's
 * writes): its key-value entries, its SQL tables with their row counts, and its alarm. Reading
 * it does not build the object's instance.
 *
 * <pre>{@code
 * ObjectSnapshot s = dos.snapshot(stub);
 * assertThat(s.entries()).containsEntry("count", 2);
 * }</pre>
 *
 * @param binding the binding of the object's class, e.g. {@code COUNTER}
 * @param id the object's id (with its name when it was made by name)
 * @param entries every key-value entry, sorted by key, values as plain JSON types (Map, List,
 *     String, Integer/Long, Double, Boolean, null)
 * @param tables every SQL table the object created, with its number of rows, sorted by name
 * @param alarm when the object's alarm is set to fire, or empty
 */
public record ObjectSnapshot(String binding, DurableObjectId id, SortedMap<String, Object> entries,
    SortedMap<String, Long> tables, Optional<Instant> alarm) {

  /** Keys and values longer than this are cut short in {@link #describe()}. */
  private static final int SHOWN_VALUE_CHARS = 120;
  /** At most this many entries are listed in {@link #describe()}. */
  private static final int SHOWN_ENTRIES = 25;

  /** A snapshot; the maps are copied and the copies cannot be changed. */
  public ObjectSnapshot {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    tables = Collections.unmodifiableSortedMap(new TreeMap<>(tables));
  }

  /** The object in the user's words: {@code COUNTER 'a'}, or the binding and id when unnamed. */
  public String label() {
    return binding + id.name().map(n -> " '" + n + "'").orElse(" " + id);
  }

  /** Whether the object stores nothing: no entries, no tables, no alarm. */
  public boolean isEmpty() {
    return entries.isEmpty() && tables.isEmpty() && alarm.isEmpty();
  }

  /**
   * A few lines for people: the entries (at most 25, long values cut short), the tables with
   * their row counts and the alarm.
   */
  public String describe() {
    StringBuilder b = new StringBuilder(label()).append(":\n");
    b.append("  key-value entries (").append(entries.size())
        .append(entries.isEmpty() ? "): none\n" : "):\n");
    entries.entrySet().stream().limit(SHOWN_ENTRIES).forEach(e -> b.append("    ")
        .append(shorten(e.getKey())).append(" = ").append(shorten(json(e.getValue())))
        .append('\n'));
    if (entries.size() > SHOWN_ENTRIES) {
      b.append("    ... and ").append(entries.size() - SHOWN_ENTRIES).append(" more\n");
    }
    b.append("  tables: ").append(tables.isEmpty() ? "none" : describeTables()).append('\n');
    b.append("  alarm: ").append(alarm.map(Instant::toString).orElse("none"));
    return b.toString();
  }

  /** The tables as {@code name (n rows), ...}. */
  String describeTables() {
    return tables.entrySet().stream().map(t -> t.getKey() + " (" + t.getValue()
        + (t.getValue() == 1 ? " row)" : " rows)")).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Reads an object's stored state inside its gate, without building its instance. */
  static ObjectSnapshot read(ObjectTools tools, DurableObjectStub stub) {
    String binding = tools.namespaceOf(stub).binding();
    return tools.visit(stub, ObjectTools.Access.READ, view -> {
      SortedMap<String, Object> entries = new TreeMap<>();
      SortedMap<String, Long> tables = new TreeMap<>();
      if (view.stored()) {
        entries.putAll(view.storage().list());
        for (ObjectTools.Table t : view.tables()) {
          if (t.type().equals("table") || t.type().equals("virtual")) {
            tables.put(t.name(), view.rowCount(t));
          }
        }
      }
      return new ObjectSnapshot(binding, view.id(), entries, tables, view.storage().getAlarm());
    });
  }

  /** The JSON form of a stored value, as messages show it. */
  static String json(Object value) {
    return new String(Json.toBytes(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  static String shorten(String text) {
    return shorten(text, SHOWN_VALUE_CHARS);
  }

  /** The text cut after {@code limit} characters, its length noted, for failure messages. */
  static String shorten(String text, int limit) {
    return text.length() <= limit ? text
        : text.substring(0, limit) + "... (" + text.length() + " chars)";
  }
}
