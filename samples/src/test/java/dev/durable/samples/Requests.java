package dev.durable.samples;

import dev.durable.Request;
import dev.durable.Response;
import java.util.List;
import java.util.Map;

/** Short ways to build the requests the samples' tests send, and to read JSON answers. */
public final class Requests {
  private Requests() {}

  /** A POST with a JSON (or any text) body. */
  public static Request post(String path, String body) {
    return Request.builder("POST", path).header("content-type", "application/json").body(body).build();
  }

  /** A POST without a body. */
  public static Request post(String path) {
    return Request.builder("POST", path).build();
  }

  /** A DELETE. */
  public static Request delete(String path) {
    return Request.builder("DELETE", path).build();
  }

  /** Any method without a body. */
  public static Request method(String method, String path) {
    return Request.builder(method, path).build();
  }

  /** The response body as a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(Response response) {
    return response.json(Map.class);
  }

  /** A list inside a JSON object. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Map<String, Object> json, String key) {
    return (List<Map<String, Object>>) json.get(key);
  }
}
