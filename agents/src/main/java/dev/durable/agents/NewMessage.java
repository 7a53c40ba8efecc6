package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A message to append with {@link Sessions#append}: a role and its text, and optionally an id of
 * the caller's choosing (as the AI SDK's messages carry), structured parts and metadata.
 *
 * <pre>{@code
 * sessions.append(chatId, NewMessage.user("Where is Lisbon?"));
 * sessions.append(chatId, NewMessage.assistant("In Portugal.").withMetadata(Map.of("model", "m1")));
 * sessions.append(chatId, NewMessage.ofParts("user", List.of(Map.of("type", "text", "text", "Hi"))));
 * }</pre>
 *
 * @param id the id to store it under, or null to have one made
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content its text; when null, the text of its parts of type {@code text}, one per line
 * @param parts a JSON array of parts, {@code []} when none
 * @param metadata a JSON object, {@code {}} when none
 */
public record NewMessage(String id, String role, String content, JsonNode parts, JsonNode metadata) {
  /** The roles a message may have. */
  public static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");

  /** Longest caller-chosen message id, in characters. */
  public static final int MAX_ID_LENGTH = 256;

  /** Checks every field; a bad one is an {@link IllegalArgumentException} that names it. */
  public NewMessage {
    if (id != null) {
      checkId(id);
    }
    if (role == null || !ROLES.contains(role)) {
      throw new IllegalArgumentException("A message's role must be one of user, assistant, system, tool; got "
          + (role == null ? "null" : "'" + role + "'"));
    }
    parts = parts == null || parts.isNull() ? JsonNodeFactory.instance.arrayNode() : parts;
    metadata = metadata == null || metadata.isNull() ? JsonNodeFactory.instance.objectNode() : metadata;
    if (!parts.isArray()) {
      throw new IllegalArgumentException("A message's parts must be a JSON array, got " + parts.getNodeType());
    }
    if (!metadata.isObject()) {
      throw new IllegalArgumentException("A message's metadata must be a JSON object, got " + metadata.getNodeType());
    }
    if (content == null) {
      content = textOf(parts);
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("A message needs content or parts; this one has neither");
      }
    }
  }

  /** A message of the given role and text. */
  public static NewMessage of(String role, String content) {
    return new NewMessage(null, role, content, null, null);
  }

  /**
   * A message of structured parts (anything Jackson writes as a JSON array, such as the AI
   * SDK's {@code UIMessage.parts}); its content is the text of the parts of type {@code text}.
   */
  public static NewMessage ofParts(String role, Object parts) {
    return new NewMessage(null, role, null, AgentJson.tree(parts), null);
  }

  /** A message from the user. */
  public static NewMessage user(String content) {
    return of("user", content);
  }

  /** A message from the model. */
  public static NewMessage assistant(String content) {
    return of("assistant", content);
  }

  /** A system message. */
  public static NewMessage system(String content) {
    return of("system", content);
  }

  /** A tool's result. */
  public static NewMessage tool(String content) {
    return of("tool", content);
  }

  /** This message stored under the given id instead of a new one. */
  public NewMessage withId(String messageId) {
    return new NewMessage(messageId, role, content, parts, metadata);
  }

  /** This message with parts (anything Jackson writes as a JSON array); its content stays as it is. */
  public NewMessage withParts(Object value) {
    return new NewMessage(id, role, content, AgentJson.tree(value), metadata);
  }

  /** This message with metadata: a map or record (anything Jackson writes as a JSON object). */
  public NewMessage withMetadata(Object value) {
    return new NewMessage(id, role, content, parts, AgentJson.tree(value));
  }

  static void checkId(String id) {
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("A message id must be 1 to " + MAX_ID_LENGTH
          + " characters and not blank; got '" + abbreviate(id) + "' (" + id.length() + " characters)");
    }
    if (id.startsWith(Message.SUMMARY_ID_PREFIX)) {
      throw new IllegalArgumentException("Message id '" + id + "' starts with '" + Message.SUMMARY_ID_PREFIX
          + "', which is kept for compaction summaries");
    }
  }

  private static String textOf(JsonNode parts) {
    List<String> texts = new ArrayList<>();
    for (JsonNode part : parts) {
      if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
        texts.add(part.get("text").asText());
      }
    }
    return String.join("\n", texts);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
