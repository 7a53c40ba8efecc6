package dev.durable.agents;

import java.time.Instant;

/**
 * A summary that stands in for a run of messages, from {@code fromMessageId} down the branch to
 * {@code toMessageId} (both included), whenever a {@link Sessions#history} of the session or of
 * its forks passes through that run. The messages themselves stay stored, readable and
 * searchable; {@link Sessions#undoCompaction} removes the overlay.
 *
 * @param id the compaction's id
 * @param sessionId the session it was made in
 * @param fromMessageId the first message it covers
 * @param toMessageId the last message it covers, a descendant of (or the same as) the first
 * @param summary the text shown instead
 * @param createdAt when it was made; where compactions overlap, the newest is the one applied
 */
public record Compaction(String id, String sessionId, String fromMessageId, String toMessageId, String summary,
    Instant createdAt) {}
