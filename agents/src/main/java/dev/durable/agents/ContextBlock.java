package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;

/**
 * A named section of the system prompt, kept in the object's SQLite by {@link ContextBlocks}.
 *
 * @param label its name, letters, digits, {@code _} and {@code -}
 * @param description what it holds, shown in the prompt and to the model's tool ({@code ""} when none)
 * @param content its text, or its JSON written compactly when {@link #format()} is JSON
 * @param format whether the content is text or JSON
 * @param maxChars the most characters (Unicode code points) the content may have
 * @param readonly whether the model's tool is refused; the agent's own code may still change it
 * @param updatedAt when it was last defined or written
 */
public record ContextBlock(String label, String description, String content, Format format, int maxChars,
    boolean readonly, Instant updatedAt) {

  /** How a block's content is read. */
  public enum Format {
    /** Plain text. */
    TEXT,
    /** A JSON value. */
    JSON
  }

  /** The content as JSON: the parsed value for a JSON block, a string for a text block. */
  public JsonNode json() {
    return format == Format.JSON ? AgentJson.parse(content) : TextNode.valueOf(content);
  }

  /** The content's length in characters, as {@link #maxChars()} counts them. */
  public int chars() {
    return content.codePointCount(0, content.length());
  }
}
