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
 * @param order best match first, or newest first
 */
public record SearchOptions(int limit, String beforeMessageId, Order order) {
  /** The largest {@link #limit}. */
  public static final int MAX_LIMIT = 1000;

  /** Twenty hits, best match first, from every message. */
  public static final SearchOptions DEFAULT = new SearchOptions(20, null, Order.BEST_MATCH);

  /** The order of the hits. */
  public enum Order {
    /** Best match first (FTS5's bm25 rank), then oldest. */
    BEST_MATCH,
    /**
     * Newest first: much faster for words in many messages, since the matches need not all be
     * ranked to find the first few.
     */
    NEWEST
  }

  /** Checks the limit and the order. */
  public SearchOptions {
    if (order == null) {
      throw new IllegalArgumentException("A search's order must not be null");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("A search's limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** These options with another limit. */
  public SearchOptions withLimit(int hits) {
    return new SearchOptions(hits, beforeMessageId, order);
  }

  /** These options searching only messages appended before the given one. */
  public SearchOptions before(String messageId) {
    return new SearchOptions(limit, messageId, order);
  }

  /** These options with the newest matches first instead of the best. */
  public SearchOptions newestFirst() {
    return new SearchOptions(limit, beforeMessageId, Order.NEWEST);
  }
}
