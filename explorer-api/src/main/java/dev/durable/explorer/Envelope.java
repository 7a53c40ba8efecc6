package dev.durable.explorer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The JSON of the explorer: Cloudflare's API v4 envelope around every answer, and strict parsing
 * of request bodies (duplicate keys and trailing text are errors, not guesses).
 */
final class Envelope {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Envelope() {}

  /** {@code {"success":true,"errors":[],"messages":[],"result":...}}. */
  static ObjectNode success(JsonNode result) {
    ObjectNode o = NODES.objectNode();
    o.put("success", true);
    o.putArray("errors");
    o.putArray("messages");
    o.set("result", result);
    return o;
  }

  /** {@code {"success":false,"errors":[{"code":N,"message":"..."}],"messages":[],"result":null}}. */
  static ObjectNode failure(int code, String message) {
    ObjectNode o = NODES.objectNode();
    o.put("success", false);
    ArrayNode errors = o.putArray("errors");
    errors.addObject().put("code", code).put("message", message);
    o.putArray("messages");
    o.putNull("result");
    return o;
  }

  /** A JSON array of strings. */
  static ArrayNode strings(List<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The JSON of an answer, refused with a 400 once it passes {@code cap} bytes: written into a
   * buffer that stops growing there, so a huge result is never held twice in a small heap.
   */
  static byte[] bytes(JsonNode node, int cap) {
    CappedBuffer out = new CappedBuffer(cap);
    try {
      MAPPER.writeValue(out, node);
      return out.toByteArray();
    } catch (IOException | CappedBuffer.Full e) {
      if (out.full) {
        throw ApiException.invalid("The answer is larger than the " + cap / (1024 * 1024)
            + " MiB the explorer sends at once: read fewer rows (limit and cursor, or LIMIT in the"
            + " SQL) or fewer columns");
      }
      throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
    }
  }

  /** A buffer that refuses to grow past its cap (the writer wraps what it throws). */
  private static final class CappedBuffer extends ByteArrayOutputStream {
    /** Thrown to stop the writer; {@link #full} says why, whatever wraps it. */
    static final class Full extends RuntimeException {
      Full() {
        super("over the cap", null, false, false);
      }
    }

    private final int cap;
    boolean full;

    CappedBuffer(int cap) {
      this.cap = cap;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count + len > cap) {
        full = true;
        throw new Full();
      }
      super.write(b, off, len);
    }

    @Override
    public void write(int b) {
      if (count + 1 > cap) {
        full = true;
        throw new Full();
      }
      super.write(b);
    }
  }

  /** Parses a request body, or fails with a 400 that says what is malformed and where. */
  static JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      throw ApiException.invalid("Request body is empty; expected a JSON object");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw ApiException.invalid("Malformed JSON body: " + e.getOriginalMessage()
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    } catch (IOException e) {
      throw ApiException.invalid("Could not read the request body: " + e.getMessage());
    }
  }
}
