package dev.durable.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;

/**
 * The agents' JSON: state, frames, RPC arguments and results. Configured like the runtime's own
 * mapper (ISO instants, unknown properties ignored), so a value reads the same here as through a
 * stub or in storage.
 */
final class AgentJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private AgentJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A value as a JSON tree, or a clear error naming its type. */
  static JsonNode tree(Object value) {
    try {
      return MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot convert a value of type "
          + value.getClass().getName() + " to JSON: " + e.getMessage(), e);
    }
  }

  /** Parses text as JSON; null when it is not JSON. */
  static JsonNode parseOrNull(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree did not serialize: " + e.getOriginalMessage(), e);
    }
  }

  /** A tree written indented, for people and models to read. */
  static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree did not serialize: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a tree into a type; Jackson's message names what did not fit. */
  static <T> T read(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Expected JSON for " + type.getSimpleName() + " but got "
          + node + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Converts a tree to a (possibly generic) Java type. */
  static Object read(JsonNode node, Type type) {
    JavaType javaType = MAPPER.constructType(type);
    try {
      return MAPPER.treeToValue(node, javaType);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Expected " + javaType.getRawClass().getSimpleName()
          + " but got " + node + ": " + e.getOriginalMessage(), e);
    }
  }
}
