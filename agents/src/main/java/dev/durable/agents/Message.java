package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A stored message of a session: a node of the message tree, linked to its parent by id. Stored
 * messages never change. In a {@link Sessions#history} a compaction's summary also appears as a
 * message: its id starts with {@value #SUMMARY_ID_PREFIX} and {@link #isSummary()} is true.
 *
 * @param id the message's id, unique among all sessions of the object
 * @param sessionId the session it was appended to
 * @param parentId the message it follows, or null for a root
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content its text, the part that search indexes
 * @param parts a JSON array of structured parts (as the AI SDK's {@code UIMessage.parts}), {@code []} when none
 * @param metadata a JSON object the caller keeps with it, {@code {}} when none
 * @param createdAt when it was appended
 */
public record Message(String id, String sessionId, String parentId, String role, String content,
    JsonNode parts, JsonNode metadata, Instant createdAt) {

  /** How the ids of compaction summaries begin; no stored message's id may begin so. */
  public static final String SUMMARY_ID_PREFIX = "compaction_";

  /** Whether this is a compaction's summary standing in for a range of messages in a history. */
  public boolean isSummary() {
    return id.startsWith(SUMMARY_ID_PREFIX);
  }
}
