package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * SQLite values as JSON and back. Integers are JSON numbers up to 2^53 (what JavaScript reads
 * exactly) and strings beyond; REALs are numbers ({@code "Infinity"} as a string); BLOBs are
 * {@code {"$blob":"<base64>"}}, never {@code {}}. The same marker is accepted as input.
 */
final class SqlValues {
  /** The key of the object that marks a BLOB. */
  static final String BLOB = "$blob";
  private static final long MAX_EXACT = (1L << 53) - 1;

  private SqlValues() {}

  static JsonNode toJson(Object value) {
    return switch (value) {
      case null -> Envelope.NODES.nullNode();
      case Long l -> Math.abs(l) <= MAX_EXACT && l != Long.MIN_VALUE
          ? Envelope.NODES.numberNode(l) : Envelope.NODES.textNode(Long.toString(l));
      case Integer i -> Envelope.NODES.numberNode(i);
      case Double d -> Double.isFinite(d) ? Envelope.NODES.numberNode(d)
          : Envelope.NODES.textNode(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      case byte[] bytes -> blob(bytes);
      case String s -> Envelope.NODES.textNode(s);
      case Boolean b -> Envelope.NODES.numberNode(b ? 1 : 0);
      default -> Envelope.NODES.textNode(value.toString());
    };
  }

  /** Rows of SQL values as an array of arrays. */
  static ArrayNode rows(List<Object[]> rows) {
    ArrayNode out = Envelope.NODES.arrayNode();
    for (Object[] row : rows) {
      ArrayNode a = out.addArray();
      for (Object v : row) {
        a.add(toJson(v));
      }
    }
    return out;
  }

  static ObjectNode blob(byte[] bytes) {
    ObjectNode o = Envelope.NODES.objectNode();
    o.put(BLOB, Base64.getEncoder().encodeToString(bytes));
    return o;
  }

  /**
   * A JSON value as a value to bind to SQL: null, string, integer (64-bit), real, boolean (1/0)
   * or a BLOB marker. Anything else is refused with {@code path} named.
   */
  static Object fromJson(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1L : 0L;
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw ApiException.invalid(path + ": integer " + node.asText()
            + " is out of range of SQLite's 64-bit integers");
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isObject() && node.size() == 1 && node.has(BLOB)) {
      JsonNode b64 = node.get(BLOB);
      if (!b64.isTextual()) {
        throw ApiException.invalid(path + "." + BLOB + ": expected a base64 string");
      }
      try {
        return Base64.getDecoder().decode(b64.textValue());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(path + "." + BLOB + ": invalid base64: " + e.getMessage());
      }
    }
    throw ApiException.invalid(path + ": expected a string, number, boolean, null or {\"" + BLOB
        + "\":\"<base64>\"}, got " + describe(node));
  }

  /** SQL parameters from a JSON array, none when absent; errors name {@code path}. */
  static Object[] params(JsonNode node, String prefix, String path) {
    if (node == null || node.isNull()) {
      return new Object[0];
    }
    if (!node.isArray()) {
      throw ApiException.invalid(prefix + path + ": Expected array, received " + typeOf(node));
    }
    Object[] out = new Object[node.size()];
    for (int i = 0; i < node.size(); i++) {
      out[i] = fromJson(node.get(i), path + "." + i);
    }
    return out;
  }

  /** The JSON type of a node as zod names it in messages: {@code number}, {@code string}, ... */
  static String typeOf(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "undefined";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** The JSON type of a node for a sentence: {@code a number}, {@code an array}, ... */
  static String describe(JsonNode node) {
    String type = typeOf(node);
    return switch (type) {
      case "undefined" -> "nothing";
      case "array", "object" -> "an " + type;
      case "string", "number", "boolean" -> "a " + type;
      default -> type;
    };
  }
}
