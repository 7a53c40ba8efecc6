package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One conversation of {@link Sessions}: a name, free-form metadata, and, for a fork, where it
 * branched off. Its messages are read through {@link Sessions}.
 *
 * @param id the session's id, made by {@link Sessions#create}
 * @param name a display name
 * @param parentSessionId for a fork: the session it was forked from; else null
 * @param forkedFromMessageId for a fork: the message its history continues from; else null
 * @param metadata a JSON object the caller keeps with the session ({@code {}} when none)
 * @param createdAt when it was made
 * @param updatedAt when it was made, renamed or last had a message appended
 */
public record Session(String id, String name, String parentSessionId, String forkedFromMessageId,
    JsonNode metadata, Instant createdAt, Instant updatedAt) {

  /** Whether this session was made by {@link Sessions#fork}. */
  public boolean isFork() {
    return parentSessionId != null;
  }
}
