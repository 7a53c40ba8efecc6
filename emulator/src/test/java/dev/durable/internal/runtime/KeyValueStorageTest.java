package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectStorage;
import dev.durable.ListOptions;
import dev.durable.runtime.DurableRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyValueStorageTest {
  private final DurableRuntime runtime = RuntimeTestSupport.inMemory().build();

  @AfterEach
  void close() {
    runtime.close();
  }

  private <T> T kv(StorageTesting.StorageBody<T> body) {
    return inObject(runtime, "COUNTER", "kv", body);
  }

  private void seed() {
    kv(s -> {
      for (String k : List.of("a", "b", "ba", "bb", "c", "d")) {
        s.put(k, k.toUpperCase());
      }
      return null;
    });
  }

  private List<String> keys(ListOptions options) {
    return kv(s -> new ArrayList<>(s.list(options).keySet()));
  }

  @Test
  void getPutDeleteRoundTrip() {
    kv(s -> {
      assertThat(s.get("missing")).isEmpty();
      s.put("n", 42L);
      s.put("record", Map.of("x", 1, "tags", List.of("a", "b")));
      assertThat(s.get("n", Long.class)).contains(42L);
      assertThat(s.get("record")).contains(Map.of("x", 1, "tags", List.of("a", "b")));
      assertThat(s.delete("n")).isTrue();
      assertThat(s.delete("n")).isFalse();
      assertThat(s.get("n")).isEmpty();
      return null;
    });
  }

  @Test
  void valuesCrossByValue() {
    kv(s -> {
      List<String> list = new ArrayList<>(List.of("x"));
      s.put("list", list);
      list.add("changed after put");
      @SuppressWarnings("unchecked")
      List<String> read = s.get("list", List.class).orElseThrow();
      read.add("changed after get");
      assertThat(s.get("list")).contains(List.of("x"));
      return null;
    });
  }

  @Test
  void listHonoursEveryOption() {
    seed();
    assertThat(keys(ListOptions.all())).containsExactly("a", "b", "ba", "bb", "c", "d");
    assertThat(keys(ListOptions.builder().start("b").build())).containsExactly("b", "ba", "bb", "c", "d");
    assertThat(keys(ListOptions.builder().startAfter("b").build())).containsExactly("ba", "bb", "c", "d");
    assertThat(keys(ListOptions.builder().end("c").build())).containsExactly("a", "b", "ba", "bb");
    assertThat(keys(ListOptions.builder().prefix("b").build())).containsExactly("b", "ba", "bb");
    assertThat(keys(ListOptions.builder().reverse(true).build())).containsExactly("d", "c", "bb", "ba", "b", "a");
    assertThat(keys(ListOptions.builder().limit(2).build())).containsExactly("a", "b");
  }

  @Test
  void listCombinesOptions() {
    seed();
    assertThat(keys(ListOptions.builder().prefix("b").reverse(true).limit(2).build()))
        .as("reverse with limit takes the last keys").containsExactly("bb", "ba");
    assertThat(keys(ListOptions.builder().start("b").end("c").limit(10).build()))
        .containsExactly("b", "ba", "bb");
    assertThat(keys(ListOptions.builder().startAfter("a").end("bb").reverse(true).build()))
        .containsExactly("ba", "b");
    assertThat(keys(ListOptions.builder().prefix("b").start("ba").build())).containsExactly("ba", "bb");
    assertThat(keys(ListOptions.builder().prefix("b").start("c").build())).isEmpty();
    assertThat(keys(ListOptions.builder().prefix("b").end("bb").build())).containsExactly("b", "ba");
    assertThat(keys(ListOptions.builder().start("c").end("b").build())).isEmpty();
    assertThat(keys(ListOptions.builder().prefix("zz").build())).isEmpty();
  }

  @Test
  void keysSortByCodePointLikeUtf8() {
    kv(s -> {
      s.put("\uFFFF", 1);
      s.put("\uD83D\uDE00", 2); // U+1F600 sorts after U+FFFF in UTF-8
      s.put("z", 3);
      assertThat(new ArrayList<>(s.list().keySet())).containsExactly("z", "\uFFFF", "\uD83D\uDE00");
      assertThat(s.list(ListOptions.builder().prefix("\uFFFF").build())).containsOnlyKeys("\uFFFF");
      return null;
    });
  }

  @Test
  void batchFormsGetPutDelete() {
    kv(s -> {
      Map<String, Object> entries = new LinkedHashMap<>();
      entries.put("k2", 2);
      entries.put("k1", 1);
      entries.put("k3", 3);
      s.put(entries);
      assertThat(s.get(List.of("k3", "missing", "k1"), Integer.class))
          .containsExactly(Map.entry("k1", 1), Map.entry("k3", 3));
      assertThat(s.delete(List.of("k1", "k2", "missing"))).isEqualTo(2);
      assertThat(s.list()).containsOnlyKeys("k3");
      return null;
    });
  }

  @Test
  void listRefusesStartWithStartAfterAndNonPositiveLimits() {
    kv(s -> {
      assertThatThrownBy(() -> s.list(ListOptions.builder().start("a").startAfter("b").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("list() cannot be called with both start and startAfter values.");
      assertThatThrownBy(() -> s.list(ListOptions.builder().limit(0).build()))
          .hasMessage("List limit must be positive.");
      assertThatThrownBy(() -> s.list(ListOptions.builder().limit(-3).build()))
          .hasMessage("List limit must be positive.");
      return null;
    });
  }

  @Test
  void badInputIsRefusedAndStorageIsUnchanged() {
    kv(s -> {
      s.put("keep", "v");
      assertThatThrownBy(() -> s.put("k", null)).hasMessageContaining("must not be null");
      assertThatThrownBy(() -> s.put(null, 1)).hasMessage("Storage key must not be null");
      assertThatThrownBy(() -> s.get((String) null)).hasMessage("Storage key must not be null");
      String big = "x".repeat(DurableObjectStorage.MAX_ENTRY_BYTES);
      assertThatThrownBy(() -> s.put("big", big)).hasMessageContaining("at most 2097152 bytes");
      List<String> tooMany = IntStream.range(0, 129).mapToObj(i -> "k" + i).toList();
      assertThatThrownBy(() -> s.get(tooMany, Object.class))
          .hasMessage("get() was called with 129 keys; at most 128 keys per call");
      assertThatThrownBy(() -> s.delete(tooMany)).hasMessageContaining("at most 128 keys");
      Map<String, Object> batch = new LinkedHashMap<>();
      batch.put("first", 1);
      batch.put("second", null);
      assertThatThrownBy(() -> s.put(batch)).hasMessageContaining("'second' must not be null");
      assertThatThrownBy(() -> s.put("thread", new Object()))
          .hasMessageContaining("Cannot serialize a value of type java.lang.Object");
      assertThatThrownBy(() -> s.get("keep", Integer.class))
          .hasMessageContaining("Value of key 'keep' cannot be read as Integer");
      assertThat(s.list()).containsOnlyKeys("keep");
      return null;
    });
  }

  @Test
  void storageUsedOutsideItsEventIsRefused() {
    DurableObjectStorage leaked = kv(s -> s);
    assertThatThrownBy(() -> leaked.get("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("used outside of its own events");
  }

  @Test
  void deleteAllRemovesKeysTablesAndTheAlarm() {
    inObject(runtime, "ALARM", "d", s -> {
      s.put("a", 1);
      s.sql().exec("CREATE TABLE t(x)");
      s.sql().exec("CREATE VIRTUAL TABLE docs USING fts5(body)");
      s.sql().exec("CREATE VIEW v AS SELECT * FROM t");
      s.setAlarm(java.time.Instant.parse("2100-01-01T00:00:00Z"));
      return null;
    });
    inObject(runtime, "ALARM", "d", s -> {
      s.deleteAll();
      return null;
    });
    inObject(runtime, "ALARM", "d", s -> {
      assertThat(s.list()).isEmpty();
      assertThat(s.getAlarm()).isEmpty();
      assertThat(s.sql().exec("SELECT name FROM sqlite_master WHERE name NOT IN"
          + " ('_cf_KV', '__miniflare_do_name')").toList()).isEmpty();
      return null;
    });
  }

  @Test
  void aFailedEventLeavesNoTraceEvenAfterItsWritesReachedTheTable() {
    kv(s -> {
      s.put("a", 1);
      return null;
    });
    assertThatThrownBy(() -> kv(s -> {
      s.put("a", 2);
      assertThat(s.list()).containsEntry("a", 2); // list() writes the buffer to the table
      s.put("b", 3);
      throw new IllegalStateException("handler fails");
    })).hasMessage("handler fails");
    kv(s -> {
      assertThat(s.get("a")).contains(1);
      assertThat(s.get("b")).isEmpty();
      assertThat(s.list()).containsOnlyKeys("a");
      return null;
    });
  }

  @Test
  void aFailedCommitForgetsWhatTheCacheHadSeen() {
    kv(s -> {
      s.put("a", 1);
      return null;
    });
    runtime.tools().failNextCommit(runtime.namespace("COUNTER").getByName("kv"), "disk on fire");
    assertThatThrownBy(() -> kv(s -> {
      s.put("a", 2);
      s.delete("missing");
      return null;
    })).hasMessageContaining("disk on fire");
    kv(s -> {
      assertThat(s.get("a")).contains(1);
      return null;
    });
  }

  @Test
  void deleteReportsWhetherTheKeyExistedIncludingThisEventsOwnWrites() {
    kv(s -> {
      assertThat(s.delete("x")).isFalse();
      s.put("x", 1);
      assertThat(s.delete("x")).isTrue();
      assertThat(s.delete("x")).isFalse();
      assertThat(s.get("x")).isEmpty();
      s.put("y", 1);
      return null;
    });
    kv(s -> {
      assertThat(s.delete(List.of("y", "x"))).isEqualTo(1);
      return null;
    });
  }
}
