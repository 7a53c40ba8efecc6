package dev.durable.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PlainJson must give exactly what Jackson gives: the same bytes when writing, an equal value of
 * the same class when reading or copying. Every case is checked against the mapper itself.
 */
class PlainJsonTest {
  private static final Type LIST_OF_STRINGS = new TypeReference<List<String>>() {}.getType();
  private static final Type LIST_OF_LONGS = new TypeReference<List<Long>>() {}.getType();

  private static final List<Object> VALUES = Arrays.asList(
      0L, 1L, -1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999_999_999L, -1_000_000_000_000_000_000L,
      0, 7, -7, Integer.MAX_VALUE, Integer.MIN_VALUE,
      true, false,
      "", "a", "count", "hello world", "with \"quotes\"", "back\\slash", "tab\there", "new\nline",
      "caf\u00e9", "\u00ff", "emoji \ud83d\ude00", "lone \ud800 surrogate", "\u007f", "~!@#$%^&*()_+{}|:<>?/.,';[]=-`",
      Instant.EPOCH, Instant.parse("2026-01-01T00:01:00Z"), Instant.parse("2026-01-01T00:01:00.123Z"),
      Instant.parse("2026-01-01T00:01:00.000000001Z"), Instant.parse("0000-01-01T00:00:00Z"),
      Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
      Instant.parse("-0001-12-31T00:00:00Z"), Instant.MIN, Instant.MAX,
      List.of(), List.of("a"), List.of("a", "b", "now=2026-01-01T00:01:00Z retry=0"), new ArrayList<>(List.of("x", "")),
      new LinkedList<>(List.of("y")), Collections.unmodifiableList(new ArrayList<>(List.of("z"))),
      Arrays.asList("a", null), List.of("caf\u00e9"), List.of(1L, 2L), List.of("a\"b"),
      1.5, 1.0f, (short) 3, (byte) 4, 'c', Map.of("k", 1), new int[] {1});

  @Test
  void writesTheBytesJacksonWrites() throws Exception {
    int plain = 0;
    for (Object value : VALUES) {
      byte[] fast = PlainJson.write(value);
      if (fast != null) {
        plain++;
        assertThat(new String(fast, StandardCharsets.UTF_8)).as("JSON of %s", value)
            .isEqualTo(new String(Json.mapper().writeValueAsBytes(value), StandardCharsets.UTF_8));
      }
    }
    assertThat(plain).as("values written without Jackson").isGreaterThan(30);
  }

  @Test
  void readsWhatJacksonReadsWithTheSameClass() throws Exception {
    List<String> texts = new ArrayList<>();
    for (Object value : VALUES) {
      texts.add(new String(Json.mapper().writeValueAsBytes(value), StandardCharsets.UTF_8));
    }
    texts.addAll(List.of("-0", "01", "+1", " 1", "1 ", "1.0", "1e3", "2147483648", "-2147483649", "9223372036854775807",
        "null", "true ", "tru", "\"\"", "\"a", "a\"", "\"a\\\"b\"", "\"\\u0041\"", "[\"a\" ]", "[ \"a\"]",
        "[\"a\",]", "[,]", "[\"a\"\"b\"]", "[\"a\",\"b\"", "[]", "[null]", "[1]", "\"2026-01-01T00:01:00+00:00\"",
        "\"2026-01-01T00:01Z\"", "\"2026-01-01T00:01:00.100Z\"", "\"1700000000\"", "\"not a time\"", ""));
    int plain = 0;
    for (String text : texts) {
      byte[] json = text.getBytes(StandardCharsets.UTF_8);
      for (Type type : List.of(Long.class, long.class, Integer.class, int.class, Boolean.class, boolean.class,
          String.class, Object.class, Instant.class, LIST_OF_STRINGS, LIST_OF_LONGS)) {
        Object fast = PlainJson.read(json, type);
        if (fast == PlainJson.UNKNOWN) {
          continue;
        }
        plain++;
        Object jackson = Json.mapper().readValue(json, Json.mapper().getTypeFactory().constructType(type));
        assertThat(fast).as("%s read as %s", text, type.getTypeName()).isEqualTo(jackson);
        assertThat(fast.getClass()).as("class of %s read as %s", text, type.getTypeName())
            .isEqualTo(jackson.getClass());
      }
    }
    assertThat(plain).as("texts read without Jackson").isGreaterThan(60);
  }

  @Test
  void copiesToWhatARoundTripThroughJacksonGives() throws Exception {
    int plain = 0;
    for (Object value : VALUES) {
      for (Type type : List.of(Long.class, long.class, Integer.class, int.class, Boolean.class, boolean.class,
          String.class, Object.class, Instant.class, LIST_OF_STRINGS)) {
        Object fast = PlainJson.copy(value, type);
        if (fast == PlainJson.UNKNOWN) {
          continue;
        }
        plain++;
        Object jackson = Json.mapper().readValue(Json.mapper().writeValueAsBytes(value),
            Json.mapper().getTypeFactory().constructType(type));
        assertThat(fast).as("copy of %s as %s", value, type.getTypeName()).isEqualTo(jackson);
        assertThat(fast.getClass()).as("class of the copy of %s as %s", value, type.getTypeName())
            .isEqualTo(jackson.getClass());
      }
    }
    assertThat(plain).as("values copied without Jackson").isGreaterThan(30);
  }

  @Test
  void aCopiedListIsANewList() {
    List<String> source = new ArrayList<>(List.of("a"));
    Object copy = Json.copy(source, LIST_OF_STRINGS);
    source.add("b");
    assertThat(copy).isEqualTo(List.of("a")).isNotSameAs(source);
  }

  @Test
  void jsonGivesThePlainAnswerAndJacksonsForTheRest() {
    assertThat(Json.toBytes(3L)).isEqualTo("3".getBytes(StandardCharsets.UTF_8));
    assertThat(Json.fromBytes("3".getBytes(StandardCharsets.UTF_8), Long.class)).isEqualTo(3L);
    assertThat(Json.fromBytes("3".getBytes(StandardCharsets.UTF_8), (Type) long.class)).isEqualTo(3L);
    assertThat(Json.fromBytes("{\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8), Object.class))
        .isEqualTo(Map.of("a", List.of(1, 2)));
    assertThat(Json.copy(Map.of("k", 1L), Object.class)).isEqualTo(Map.of("k", 1));
  }
}
