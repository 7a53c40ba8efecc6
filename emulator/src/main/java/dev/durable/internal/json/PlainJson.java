package dev.durable.internal.json;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the plainest values, written, read and copied without Jackson: whole numbers,
 * booleans, strings of printable ASCII, instants, and lists of such strings, which is what most
 * storage values, RPC arguments and RPC results are. Each method gives exactly what {@link Json}'s
 * Jackson mapper gives (the same bytes, an equal value of the same class), or answers that it
 * does not know, and {@link Json} asks Jackson. A test JVM whose tests store and pass only such
 * values never loads Jackson, and a call skips the work of a general mapper.
 *
 * <p>Measured in BENCHMARKS.md, "Test kit (issue 5)".
 */
final class PlainJson {
  /** What {@link #read} and {@link #copy} answer when the value is not one of theirs. */
  static final Object UNKNOWN = new Object();

  /** Instants whose text has four-digit years, which Jackson writes and reads as Instant does. */
  private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private PlainJson() {}

  /** The JSON of a plain value, or null when it is not one. */
  static byte[] write(Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return value.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
    if (value instanceof Boolean b) {
      return (b ? "true" : "false").getBytes(StandardCharsets.ISO_8859_1);
    }
    if (value instanceof String s) {
      return isPrintableAscii(s) ? quoted(s) : null;
    }
    if (value instanceof Instant i) {
      return isPlain(i) ? quoted(i.toString()) : null;
    }
    if (value instanceof List<?> list && isJdkList(list)) {
      StringBuilder json = new StringBuilder(2 + 16 * list.size()).append('[');
      for (Object element : list) {
        if (!(element instanceof String s) || !isPrintableAscii(s)) {
          return null;
        }
        if (json.length() > 1) {
          json.append(',');
        }
        json.append('"').append(s).append('"');
      }
      return json.append(']').toString().getBytes(StandardCharsets.ISO_8859_1);
    }
    return null;
  }

  /** The value of plain JSON read as the type, or {@link #UNKNOWN}. */
  static Object read(byte[] json, Type type) {
    if (json == null) {
      return UNKNOWN;
    }
    if (type == Long.class || type == long.class) {
      return isInteger(json, 18) ? (Object) Long.parseLong(ascii(json, 0, json.length)) : UNKNOWN;
    }
    if (type == Integer.class || type == int.class) {
      return isInteger(json, 9) ? (Object) Integer.parseInt(ascii(json, 0, json.length)) : UNKNOWN;
    }
    if (type == Boolean.class || type == boolean.class) {
      return readBoolean(json);
    }
    if (type == String.class) {
      return isQuotedPrintableAscii(json, 0, json.length) ? ascii(json, 1, json.length - 1) : UNKNOWN;
    }
    if (type == Object.class) {
      if (isInteger(json, 18)) {
        // Jackson reads a whole number into Object as an Integer when it fits, else a Long.
        long n = Long.parseLong(ascii(json, 0, json.length));
        return n == (int) n ? (Object) (int) n : (Object) n;
      }
      if (isQuotedPrintableAscii(json, 0, json.length)) {
        return ascii(json, 1, json.length - 1);
      }
      return readBoolean(json);
    }
    if (type == Instant.class) {
      return isQuotedPrintableAscii(json, 0, json.length) ? readInstant(ascii(json, 1, json.length - 1)) : UNKNOWN;
    }
    if (isListOfStrings(type)) {
      return readStrings(json);
    }
    return UNKNOWN;
  }

  /**
   * What copying the value through JSON into the type gives, or {@link #UNKNOWN}: an immutable
   * plain value copies to itself (an equal value of the same class is all a copy can be), a list
   * of strings into a new {@code ArrayList}.
   */
  static Object copy(Object value, Type type) {
    if (value instanceof Long) {
      return type == Long.class || type == long.class ? value : UNKNOWN;
    }
    if (value instanceof Integer) {
      return type == Integer.class || type == int.class ? value : UNKNOWN;
    }
    if (value instanceof Boolean) {
      return type == Boolean.class || type == boolean.class ? value : UNKNOWN;
    }
    if (value instanceof String s) {
      return type == String.class && !hasSurrogates(s) ? value : UNKNOWN;
    }
    if (value instanceof Instant i) {
      return type == Instant.class && isPlain(i) ? value : UNKNOWN;
    }
    if (value instanceof List<?> list && isJdkList(list) && isListOfStrings(type)) {
      for (Object element : list) {
        if (!(element instanceof String s) || hasSurrogates(s)) {
          return UNKNOWN;
        }
      }
      return new ArrayList<>(list);
    }
    return UNKNOWN;
  }

  private static Object readBoolean(byte[] json) {
    if (json.length == 4 && json[0] == 't' && json[1] == 'r' && json[2] == 'u' && json[3] == 'e') {
      return Boolean.TRUE;
    }
    if (json.length == 5 && json[0] == 'f' && json[1] == 'a' && json[2] == 'l' && json[3] == 's'
        && json[4] == 'e') {
      return Boolean.FALSE;
    }
    return UNKNOWN;
  }

  /** An instant only from the text Instant itself writes for it, which Jackson reads alike. */
  private static Object readInstant(String text) {
    try {
      Instant i = Instant.parse(text);
      return isPlain(i) && i.toString().equals(text) ? i : UNKNOWN;
    } catch (DateTimeException e) {
      return UNKNOWN;
    }
  }

  /** {@code ["a","b"]} exactly as {@link #write} writes it, into an ArrayList. */
  private static Object readStrings(byte[] json) {
    int n = json.length;
    if (n < 2 || json[0] != '[' || json[n - 1] != ']') {
      return UNKNOWN;
    }
    List<String> strings = new ArrayList<>();
    int i = 1;
    while (i < n - 1) {
      if (json[i] != '"') {
        return UNKNOWN;
      }
      int end = i + 1;
      while (end < n - 1 && json[end] != '"') {
        end++;
      }
      if (end >= n - 1 || !isQuotedPrintableAscii(json, i, end + 1)) {
        return UNKNOWN;
      }
      strings.add(ascii(json, i + 1, end));
      i = end + 1;
      if (i < n - 1) {
        if (json[i] != ',' || i + 1 == n - 1) {
          return UNKNOWN;
        }
        i++;
      }
    }
    return strings;
  }

  /** A list class of the JDK's own: no Jackson annotation can change how it is written. */
  private static boolean isJdkList(List<?> list) {
    return list.getClass().getName().startsWith("java.util.");
  }

  private static boolean isListOfStrings(Type type) {
    return type instanceof ParameterizedType p && p.getRawType() == List.class
        && p.getActualTypeArguments()[0] == String.class;
  }

  private static boolean isPlain(Instant i) {
    return i.getEpochSecond() >= FIRST_SECOND && i.getEpochSecond() <= LAST_SECOND;
  }

  /** A whole number as JSON writes it (no leading zeros, no plus sign) of at most this many digits. */
  private static boolean isInteger(byte[] json, int maxDigits) {
    int start = json.length > 0 && json[0] == '-' ? 1 : 0;
    int digits = json.length - start;
    if (digits < 1 || digits > maxDigits || (json[start] == '0' && digits > 1)) {
      return false;
    }
    for (int i = start; i < json.length; i++) {
      if (json[i] < '0' || json[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean isQuotedPrintableAscii(byte[] json, int from, int to) {
    if (to - from < 2 || json[from] != '"' || json[to - 1] != '"') {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      byte b = json[i];
      if (b < 0x20 || b > 0x7e || b == '"' || b == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean hasSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] quoted(String printableAscii) {
    return ('"' + printableAscii + '"').getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String ascii(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
