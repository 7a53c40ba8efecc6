package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reply channel of a streaming {@link Callable} method: chunks go to the calling client as
 * {@code {"done":false,"result":chunk}} frames, and {@link #end} sends the final
 * {@code done:true} frame. A method that returns without ending the stream has it ended for it;
 * one that throws ends it with the exception's message as the error.
 */
public final class StreamingResponse {
  private final Connection connection;
  private final JsonNode id;
  private boolean closed;

  StreamingResponse(Connection connection, JsonNode id) {
    this.connection = connection;
    this.id = id;
  }

  /** Sends one chunk; returns false (and sends nothing) once the stream is closed. */
  public boolean send(Object chunk) {
    if (closed) {
      return false;
    }
    connection.sendIfOpen(Frames.chunk(id, AgentJson.tree(chunk)));
    return true;
  }

  /** Ends the stream with a final chunk (null for none); false when it was already closed. */
  public boolean end(Object finalChunk) {
    if (closed) {
      return false;
    }
    closed = true;
    ObjectNode done = Frames.success(id);
    if (finalChunk != null) {
      done.set("result", AgentJson.tree(finalChunk));
    }
    connection.sendIfOpen(done);
    return true;
  }

  /** Ends the stream with no final chunk. */
  public boolean end() {
    return end(null);
  }

  /** Ends the stream with an error the client's call rejects with. */
  public boolean error(String message) {
    if (closed) {
      return false;
    }
    closed = true;
    connection.sendIfOpen(Frames.failure(id, message));
    return true;
  }

  /** Whether {@link #end} or {@link #error} was called. */
  public boolean isClosed() {
    return closed;
  }
}
