package dev.durable.agents;

import java.time.Instant;

/**
 * A message that matched a {@link Sessions#search}, with a snippet of its text around the match.
 *
 * @param messageId the matching message's id, for {@link Sessions#message}
 * @param sessionId the session it was appended to
 * @param role its role
 * @param snippet up to a dozen words around the match, matched words in {@code [brackets]},
 *     cut text shown as {@code ...}
 * @param createdAt when it was appended
 */
public record SearchHit(String messageId, String sessionId, String role, String snippet, Instant createdAt) {}
