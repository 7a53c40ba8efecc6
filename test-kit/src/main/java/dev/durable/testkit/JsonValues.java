package dev.durable.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.internal.json.Json;
import java.io.IOException;
import java.util.Comparator;

/** JSON comparison for assertions: numbers compare by value, so 2, 2L and 2.0 are equal. */
final class JsonValues {
  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return 1;
  };

  private JsonValues() {}

  /** The JSON tree of any value, as storage would keep it. */
  static JsonNode tree(Object value) {
    return Json.mapper().valueToTree(value);
  }

  /** Parses JSON text; null when it is not JSON. */
  static JsonNode parseOrNull(String text) {
    try {
      JsonNode node = Json.mapper().readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  static boolean same(JsonNode expected, JsonNode actual) {
    return expected.equals(NUMBERS_BY_VALUE, actual);
  }
}
