package dev.durable.agents;

import static dev.durable.agents.SessionTables.FTS;
import static dev.durable.agents.SessionTables.MESSAGES;

import dev.durable.SqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Full-text search over messages' content with the FTS5 index, best match first. Queries are
 * FTS5's syntax (words, {@code "phrases"}, {@code AND}/{@code OR}/{@code NOT}, {@code prefix*},
 * {@code NEAR(...)}); a query SQLite cannot parse is an error that says so.
 */
final class MessageSearch {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");

  private final SessionTables tables;

  MessageSearch(SessionTables tables) {
    this.tables = tables;
  }

  /**
   * Searches the messages of one session (with the past it was forked from), or of every
   * session when {@code session} is null; {@code beforeSeq} (the options' message, found) bounds
   * the messages searched.
   */
  List<SearchHit> search(Session session, String query, SearchOptions options, Long beforeSeq) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("A search query must not be empty");
    }
    StringBuilder sql = new StringBuilder();
    List<Object> args = new ArrayList<>();
    if (session != null && session.forkedFromMessageId() != null) {
      sql.append(MessageTree.PATH_UP);
      args.add(session.forkedFromMessageId());
    }
    sql.append("SELECT m.id AS id, m.session_id AS session_id, m.role AS role, m.created_at AS created_at,")
        .append(" snippet(").append(FTS).append(", 0, '[', ']', '...', 12) AS snippet FROM ").append(FTS)
        .append(" JOIN ").append(MESSAGES).append(" m ON m.seq = ").append(FTS).append(".rowid WHERE ")
        .append(FTS).append(" MATCH ?");
    args.add(query);
    if (session != null) {
      sql.append(session.forkedFromMessageId() != null
          ? " AND (m.session_id = ? OR m.seq IN (SELECT seq FROM up))" : " AND m.session_id = ?");
      args.add(session.id());
    }
    if (beforeSeq != null) {
      // On the index's rowid, not the message's seq: SQLite would walk the messages by seq instead.
      sql.append(" AND ").append(FTS).append(".rowid < ?");
      args.add(beforeSeq);
    }
    // Newest first needs no ranking: FTS5 walks its matches by rowid and stops at the limit.
    sql.append(options.order() == SearchOptions.Order.NEWEST ? " ORDER BY " + FTS + ".rowid DESC"
        : " ORDER BY rank, " + FTS + ".rowid").append(" LIMIT ?");
    args.add(options.limit());
    try {
      return tables.sql().exec(sql.toString(), args.toArray()).toList().stream().map(MessageSearch::toHit).toList();
    } catch (SqlException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("no such table: cf_agents_")) {
        throw e;
      }
      throw new IllegalArgumentException("Search query '" + query + "' is not valid FTS5 syntax (" + e.getMessage()
          + "); to search for plain words use Sessions.allWords(text)", e);
    }
  }

  /** Each word of the text quoted, so FTS5 reads it as a word: {@code "lisbon" "may"}. */
  static String allWords(String text) {
    StringBuilder q = new StringBuilder();
    var words = WORD.matcher(text == null ? "" : text);
    while (words.find()) {
      q.append(q.isEmpty() ? "" : " ").append('"').append(words.group()).append('"');
    }
    return q.toString();
  }

  private static SearchHit toHit(Map<String, Object> r) {
    return new SearchHit((String) r.get("id"), (String) r.get("session_id"), (String) r.get("role"),
        (String) r.get("snippet"), SessionTables.instant(r.get("created_at")));
  }
}
