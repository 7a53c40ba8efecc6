package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.DurableObjectStorage;
import dev.durable.ListOptions;
import dev.durable.runtime.ObjectTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The object's key-value entries: listed by prefix with paging, read, put and
 * deleted inside the object's gate. Values are shown as JSON when they are JSON (what this
 * runtime writes); anything else, such as the V8 serialization Cloudflare's Miniflare writes, is
 * shown as base64 with {@code "encoding":"base64"} rather than guessed at.
 */
record KeyValueRoutes(ObjectAccess access) {
  static final String TAG = "Key-value storage";
  private static final String KV = ObjectRoutes.OBJECT + "/kv";
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  void register(RouteTable t) {
    t.add("GET", KV, this::list)
        .doc(TAG, "listEntries", "Key-value entries in key order, with a prefix and paging")
        .query("prefix", "string", "Only keys starting with this")
        .query("limit", "integer", "Entries per page, 1 to 1000 (default 100)")
        .query("cursor", "string", "The cursor of the previous page")
        .list("KvEntry");
    t.add("GET", KV + "/{key}", this::get)
        .doc(TAG, "getEntry", "One entry (the key percent-encoded in the path)")
        .result("KvEntry");
    t.add("PUT", KV + "/{key}", this::put)
        .doc(TAG, "putEntry", "Write one entry: a JSON value, or raw bytes as base64")
        .body("KvPut")
        .result("KvEntry");
    t.add("DELETE", KV + "/{key}", this::delete)
        .doc(TAG, "deleteEntry", "Delete one entry")
        .result("KvDeleted");
  }

  private Reply list(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String prefix = call.query("prefix") == null ? "" : call.query("prefix");
    int limit = call.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
    ListOptions.Builder options = ListOptions.builder().prefix(prefix).limit(limit + 1);
    String after = decodeCursor(call.query("cursor"));
    if (after != null) {
      options.startAfter(after);
    }
    List<ObjectTools.Entry> entries = access.read(target, view -> view.entries(options.build()));
    boolean more = entries.size() > limit;
    List<ObjectTools.Entry> page = more ? entries.subList(0, limit) : entries;
    ArrayNode result = Envelope.NODES.arrayNode();
    page.forEach(e -> result.add(toJson(e.key(), e.value())));
    String cursor = more ? encodeCursor(page.get(page.size() - 1).key()) : "";
    return Reply.list(result, Envelope.NODES.objectNode().put("count", page.size()).put("cursor", cursor));
  }

  private Reply get(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String key = call.path("key");
    byte[] value = access.read(target, view -> view.value(key).orElse(null));
    if (value == null) {
      throw ApiException.notFound("No key-value entry '" + key + "' in this object");
    }
    return Reply.ok(toJson(key, value));
  }

  private Reply put(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String key = call.path("key");
    JsonNode body = call.bodyObject();
    JsonNode value = body.get("value");
    JsonNode base64 = body.get("base64");
    if ((value == null) == (base64 == null)) {
      throw ApiException.invalid("Give exactly one of 'value' (any JSON value) or 'base64' (raw bytes)");
    }
    byte[] raw = base64 == null ? null : decodeBase64(base64);
    if (value != null && value.isNull()) {
      throw ApiException.invalid("value: must not be null; delete the entry instead");
    }
    if (raw != null && key.getBytes(StandardCharsets.UTF_8).length + (long) raw.length
        > DurableObjectStorage.MAX_ENTRY_BYTES) {
      throw ApiException.invalid("Key '" + key + "' and its value are larger than "
          + DurableObjectStorage.MAX_ENTRY_BYTES + " bytes (2 MiB)");
    }
    byte[] stored = access.write(target, view -> {
      if (raw == null) {
        view.storage().put(key, value);
      } else {
        view.putValue(key, raw);
      }
      return view.value(key).orElse(null);
    });
    return Reply.ok(toJson(key, stored));
  }

  private Reply delete(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    String key = call.path("key");
    // An object without a file has no entries: nothing to delete, and no file to create.
    boolean existed = access.write(target, view -> view.stored() && view.storage().delete(key));
    return Reply.ok(Envelope.NODES.objectNode().put("key", key).put("deleted", existed));
  }

  /** An entry as JSON: the value itself when it is JSON, else its bytes in base64. */
  static ObjectNode toJson(String key, byte[] value) {
    ObjectNode o = Envelope.NODES.objectNode().put("key", key);
    JsonNode json = asJson(value);
    if (json != null) {
      o.put("encoding", "json");
      o.set("value", json);
    } else {
      o.put("encoding", "base64");
      o.put("value", Base64.getEncoder().encodeToString(value));
    }
    o.put("size", value.length);
    return o;
  }

  private static JsonNode asJson(byte[] value) {
    if (value.length == 0) {
      return null;
    }
    try {
      return Envelope.MAPPER.readTree(value);
    } catch (IOException e) {
      return null; // not JSON: shown as base64
    }
  }

  private static byte[] decodeBase64(JsonNode node) {
    if (!node.isTextual()) {
      throw ApiException.invalid("base64: expected a base64 string, got " + SqlValues.describe(node));
    }
    try {
      return Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("base64: invalid base64: " + e.getMessage());
    }
  }

  private static String encodeCursor(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("cursor: Invalid cursor '" + cursor + "'; pass back the cursor of the previous page");
    }
  }
}
