package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Path;

/** What a route answers: JSON (usually the envelope), a file to download, or a stream. */
sealed interface Reply {
  /** A JSON body with a status. */
  record Json(int status, JsonNode body) implements Reply {}

  /**
   * A download. {@code file} is a temporary file the explorer deletes once it is sent (exports
   * are written to disk inside the object's gate, then sent without holding it).
   */
  record Download(String contentType, String fileName, Path file) implements Reply {}

  /**
   * An object's streamed answer, sent as it arrives: {@code head} (status and headers, JSON) on
   * the first line, then the body's bytes as the object produces them. Closing {@code body}
   * (the client went away) cancels the object's producer.
   */
  record Stream(JsonNode head, InputStream body) implements Reply {
    /** The content type of a streamed answer. */
    static final String CONTENT_TYPE = "application/vnd.durable.fetch-stream";
  }

  /** 200 with the success envelope around {@code result}. */
  static Reply ok(JsonNode result) {
    return new Json(200, Envelope.success(result));
  }

  /** 200 with the success envelope of a collection. */
  static Reply list(JsonNode result, ObjectNode resultInfo) {
    return new Json(200, Envelope.success(result).set("result_info", resultInfo));
  }
}
