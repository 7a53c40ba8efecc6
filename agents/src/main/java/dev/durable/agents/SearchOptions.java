package dev.durable.agents;

/**
 * How many hits a {@link Sessions#search} returns, and whether it looks only at messages older
 * than a given one (what a model's search tool wants while it answers that message).
 *
 * <pre>{@code
 * sessions.search(chatId, "lisbon", SearchOptions.DEFAULT.withLimit(5).before(promptId));
 * }</pre>
 *
 * @param limit the most hits returned, 1 to {@value #MAX_LIMIT}
 * @param beforeMessageId when not null, only messages appended before this one are searched
 */
public record SearchOptions(int limit, String beforeMessageId) {
  /** The largest {@link #limit}. */
  public static final int MAX_LIMIT = 1000;

  /** Twenty hits, from every message. */
  public static final SearchOptions DEFAULT = new SearchOptions(20, null);

  /** Checks the limit. */
  public SearchOptions {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("A search's limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** These options with another limit. */
  public SearchOptions withLimit(int hits) {
    return new SearchOptions(hits, beforeMessageId);
  }

  /** These options searching only messages appended before the given one. */
  public SearchOptions before(String messageId) {
    return new SearchOptions(limit, messageId);
  }
}
