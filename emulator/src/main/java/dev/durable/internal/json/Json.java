package dev.durable.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * The one JSON mapper of the runtime: storage values, RPC arguments and JSON bodies all cross
 * through it, so a value that round-trips in one place round-trips everywhere.
 */
public final class Json {
  /**
   * Jackson's default keeps its buffers per thread, which helps nothing when every event runs on
   * a new virtual thread: each value read or written would allocate about 16 KB of fresh buffers.
   * A small shared pool reuses them (JSON work never blocks, so few are in use at once).
   */
  private static final int POOLED_BUFFERS = 16;

  /** Built on first use: a JVM that only ever sees plain values (see PlainJson) never loads Jackson. */
  private static final class Mapper {
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.BoundedPool.construct(POOLED_BUFFERS)).build())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();
  }

  private Json() {}

  /** The shared mapper; treat it as read-only. */
  public static ObjectMapper mapper() {
    return Mapper.MAPPER;
  }

  /** Serializes a value to UTF-8 JSON bytes, or fails naming the value's type. */
  public static byte[] toBytes(Object value) {
    byte[] plain = PlainJson.write(value);
    if (plain != null) {
      return plain;
    }
    try {
      return Mapper.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot serialize a value of type "
          + value.getClass().getName() + " to JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads UTF-8 JSON bytes as the given type. */
  public static <T> T fromBytes(byte[] json, Class<T> type) {
    @SuppressWarnings("unchecked")
    T value = (T) fromBytes(json, (Type) type);
    return value;
  }

  /** Reads UTF-8 JSON bytes as a generic type (e.g. a method's parameter type). */
  public static Object fromBytes(byte[] json, Type type) {
    Object plain = PlainJson.read(json, type);
    if (plain != PlainJson.UNKNOWN) {
      return plain;
    }
    JavaType javaType = Mapper.MAPPER.getTypeFactory().constructType(type);
    try {
      return Mapper.MAPPER.readValue(json, javaType);
    } catch (IOException e) {
      String name = type instanceof Class<?> c ? c.getName() : javaType.toCanonical();
      throw new IllegalArgumentException("Cannot read JSON as " + name + ": " + originalMessage(e), e);
    }
  }

  /** Copies a value by value (like structured clone) into the given type. */
  public static Object copy(Object value, Type type) {
    Object plain = PlainJson.copy(value, type);
    if (plain != PlainJson.UNKNOWN) {
      return plain;
    }
    return fromBytes(toBytes(value), type);
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
