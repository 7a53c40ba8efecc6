package dev.durable.internal.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read with Jackson's streaming parser into a small tree that remembers where
 * each value and each key was written, so configuration errors can name the line. Comments
 * ({@code //} and {@code /* *}{@code /}) and trailing commas are allowed, as in wrangler's JSONC.
 */
final class JsonTree {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .build();

  private JsonTree() {}

  /** Where something was written: 1-based line and column. */
  record At(int line, int column) {
    static At of(JsonLocation location) {
      return new At(location.getLineNr(), location.getColumnNr());
    }
  }

  /** A value of the document. */
  sealed interface Node permits ObjectNode, ArrayNode, ValueNode {
    At at();

    /** What the value is, for messages: "a string", "a list", ... */
    String describe();
  }

  /** A key of an object, where it was written, and its value. */
  record Member(String key, At keyAt, Node value) {}

  /** A JSON object, members in the order written. */
  record ObjectNode(At at, Map<String, Member> members) implements Node {
    @Override
    public String describe() {
      return "an object";
    }
  }

  /** A JSON array. */
  record ArrayNode(At at, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A string, number, boolean or null ({@code value} is a String, Number, Boolean or null). */
  record ValueNode(At at, Object value) implements Node {
    @Override
    public String describe() {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return "the string \"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"";
      }
      return (value instanceof Number ? "the number " : "") + value;
    }
  }

  /**
   * Parses a whole document.
   *
   * @throws ConfigException naming the source, line and column of a syntax error or of a key
   *     written twice in one object
   */
  static Node parse(String text, String source) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ConfigException(source, null, 1, 1, "the file is empty; it must hold a JSON object");
      }
      Node root = read(parser, source);
      if (parser.nextToken() != null) {
        At at = At.of(parser.currentTokenLocation());
        throw new ConfigException(source, null, at.line(), at.column(),
            "unexpected content after the closing '}' of the configuration");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      int line = where == null ? 0 : where.getLineNr();
      int column = where == null ? 0 : where.getColumnNr();
      throw new ConfigException(source, null, line, column, "invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(source, null, 0, 0, "could not read: " + e.getMessage());
    }
  }

  private static Node read(JsonParser parser, String source) throws IOException {
    At at = At.of(parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Member> members = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          At keyAt = At.of(parser.currentTokenLocation());
          parser.nextToken();
          Member previous = members.put(key, new Member(key, keyAt, read(parser, source)));
          if (previous != null) {
            throw new ConfigException(source, null, keyAt.line(), keyAt.column(), "key \"" + key
                + "\" is written twice in one object (first on line " + previous.keyAt().line() + ")");
          }
        }
        yield new ObjectNode(at, members);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, source));
        }
        yield new ArrayNode(at, items);
      }
      case VALUE_STRING -> new ValueNode(at, parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new ValueNode(at, parser.getNumberValue());
      case VALUE_TRUE, VALUE_FALSE -> new ValueNode(at, parser.getBooleanValue());
      case VALUE_NULL -> new ValueNode(at, null);
      default -> throw new ConfigException(source, null, at.line(), at.column(),
          "unexpected JSON token " + token);
    };
  }
}
