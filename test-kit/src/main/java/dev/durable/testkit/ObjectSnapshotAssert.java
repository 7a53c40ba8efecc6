package dev.durable.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what an object has stored; get one from
 * {@link DurableAssertions#assertThat(dev.durable.DurableObjectStub)}. Each failure message shows
 * the object's actual state: the keys present, the tables with their row counts, the alarm.
 */
public final class ObjectSnapshotAssert extends AbstractAssert<ObjectSnapshotAssert, ObjectSnapshot> {
  /** At most this many keys are listed in a message. */
  private static final int SHOWN_KEYS = 50;

  ObjectSnapshotAssert(ObjectSnapshot actual) {
    super(actual, ObjectSnapshotAssert.class);
  }

  /** Checks that a key-value entry with this key exists. */
  public ObjectSnapshotAssert hasKey(String key) {
    isNotNull();
    if (!actual.entries().containsKey(key)) {
      failWithMessage("Expected %s to have key %s, but %s", actual.label(), quote(key), keysPresent());
    }
    return this;
  }

  /** Checks that no entry has this key. */
  public ObjectSnapshotAssert doesNotHaveKey(String key) {
    isNotNull();
    if (actual.entries().containsKey(key)) {
      failWithMessage("Expected %s to have no key %s, but it holds %s", actual.label(), quote(key),
          shown(actual.entries().get(key)));
    }
    return this;
  }

  /**
   * Checks that a key holds a value equal to the expected one once both are JSON (as storage
   * keeps values): {@code hasValue("count", 2)}, {@code hasValue("user", new User("ada"))}.
   * Numbers compare by value.
   */
  public ObjectSnapshotAssert hasValue(String key, Object expected) {
    isNotNull();
    if (!actual.entries().containsKey(key)) {
      failWithMessage("Expected %s to have key %s holding %s, but %s", actual.label(), quote(key),
          shown(expected), keysPresent());
    }
    Object value = actual.entries().get(key);
    if (!JsonValues.same(JsonValues.tree(expected), JsonValues.tree(value))) {
      failWithMessage("Expected key %s of %s to hold %s, but it holds %s", quote(key), actual.label(),
          shown(expected), shown(value));
    }
    return this;
  }

  /** Checks that a SQL table with this name exists. */
  public ObjectSnapshotAssert hasTable(String table) {
    isNotNull();
    if (!actual.tables().containsKey(table)) {
      failWithMessage("Expected %s to have table %s, but %s", actual.label(), quote(table), tablesPresent());
    }
    return this;
  }

  /** Checks that a SQL table exists and has this many rows. */
  public ObjectSnapshotAssert hasRowCount(String table, long rows) {
    isNotNull();
    Long count = actual.tables().get(table);
    if (count == null) {
      failWithMessage("Expected table %s of %s to have %s, but %s", quote(table), actual.label(),
          rows(rows), tablesPresent());
    } else if (count != rows) {
      failWithMessage("Expected table %s of %s to have %s, but it has %s", quote(table), actual.label(),
          rows(rows), rows(count));
    }
    return this;
  }

  /** Checks that the object's alarm is set for this instant. */
  public ObjectSnapshotAssert hasAlarmAt(Instant expected) {
    isNotNull();
    Optional<Instant> alarm = actual.alarm();
    if (alarm.isEmpty()) {
      failWithMessage("Expected %s to have its alarm at %s, but it has no alarm", actual.label(), expected);
    } else if (!alarm.get().equals(expected)) {
      failWithMessage("Expected %s to have its alarm at %s, but it is set for %s", actual.label(),
          expected, alarm.get());
    }
    return this;
  }

  /** Checks that the object has no alarm set. */
  public ObjectSnapshotAssert hasNoAlarm() {
    isNotNull();
    if (actual.alarm().isPresent()) {
      failWithMessage("Expected %s to have no alarm, but it is set for %s", actual.label(),
          actual.alarm().get());
    }
    return this;
  }

  private String keysPresent() {
    if (actual.entries().isEmpty()) {
      return "it has no keys";
    }
    List<String> keys = actual.entries().keySet().stream().limit(SHOWN_KEYS).map(ObjectSnapshotAssert::quote)
        .toList();
    int more = actual.entries().size() - keys.size();
    return "its keys are " + String.join(", ", keys) + (more > 0 ? " and " + more + " more" : "");
  }

  private String tablesPresent() {
    return actual.tables().isEmpty() ? "it has no tables" : "its tables are " + actual.describeTables();
  }

  private static String rows(long n) {
    return n + (n == 1 ? " row" : " rows");
  }

  private static String shown(Object value) {
    return ObjectSnapshot.shorten(ObjectSnapshot.json(value));
  }

  private static String quote(String text) {
    return "\"" + ObjectSnapshot.shorten(text) + "\"";
  }
}
