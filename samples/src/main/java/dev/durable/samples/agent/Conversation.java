package dev.durable.samples.agent;

import dev.durable.SqlStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A session's messages as a tree in SQLite ({@code parent_id} links), with an FTS5 index over
 * their text kept in step by a trigger. Messages are never changed once written.
 */
final class Conversation {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");
  private static final String COLUMNS = "id, parent_id, role, content, tool, input, run_id, created_at";

  private final SqlStorage sql;

  Conversation(SqlStorage sql) {
    this.sql = sql;
  }

  /** Makes the tables, the index and the trigger if they are not there yet. */
  void createSchema() {
    sql.exec("""
        CREATE TABLE IF NOT EXISTS messages(
          id INTEGER PRIMARY KEY,
          parent_id INTEGER REFERENCES messages(id),
          role TEXT NOT NULL CHECK (role IN ('user', 'tool', 'assistant')),
          content TEXT NOT NULL,
          tool TEXT,
          input TEXT,
          run_id INTEGER,
          created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS messages_by_parent ON messages(parent_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
          content, content = 'messages', content_rowid = 'id');
        CREATE TRIGGER IF NOT EXISTS messages_indexed AFTER INSERT ON messages BEGIN
          INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
        END""");
  }

  /** Stores a message and returns it with its id. */
  Message append(Long parentId, String role, String content, String tool, String input, Long runId,
      Instant at) {
    return toMessage(sql.exec("INSERT INTO messages(parent_id, role, content, tool, input, run_id, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
        parentId, role, content, tool, input, runId, at.toString()).one());
  }

  /** The message with this id. */
  Optional<Message> get(long id) {
    return sql.exec("SELECT " + COLUMNS + " FROM messages WHERE id = ?", id).toList().stream()
        .findFirst().map(Conversation::toMessage);
  }

  /** The newest message, the one a new message follows unless it names another parent. */
  Optional<Message> newest() {
    return sql.exec("SELECT " + COLUMNS + " FROM messages ORDER BY id DESC LIMIT 1").toList().stream()
        .findFirst().map(Conversation::toMessage);
  }

  /** Every message, by id: the whole tree, each with its parent's id. */
  List<Message> all() {
    return sql.exec("SELECT " + COLUMNS + " FROM messages ORDER BY id").toList().stream()
        .map(Conversation::toMessage).toList();
  }

  /** The path from the root to {@code tip}, oldest first: what a run on that branch sees. */
  List<Message> branch(long tip) {
    List<Message> path = new ArrayList<>(sql.exec("""
        WITH RECURSIVE up(id) AS (
          SELECT ? UNION ALL SELECT m.parent_id FROM messages m JOIN up ON m.id = up.id
          WHERE m.parent_id IS NOT NULL)
        SELECT %s FROM messages WHERE id IN (SELECT id FROM up) ORDER BY id""".formatted(COLUMNS), tip)
        .toList().stream().map(Conversation::toMessage).toList());
    return Collections.unmodifiableList(path);
  }

  /** The ids of the messages that follow this one directly, in order. */
  List<Long> children(long id) {
    return sql.exec("SELECT id FROM messages WHERE parent_id = ? ORDER BY id", id).toList().stream()
        .map(row -> (Long) row.get("id")).toList();
  }

  /**
   * Full-text search over the messages with an id below {@code before}, best match first. The
   * words of {@code text} must all occur (case-insensitively); FTS5 operators in it are taken as
   * plain words, so no input can make the query fail.
   *
   * @return id, role and a snippet with the matched words in [brackets], per match
   */
  List<Map<String, Object>> search(String text, long before, int limit) {
    String query = ftsQuery(text);
    if (query.isEmpty()) {
      return List.of();
    }
    return sql.exec("""
        SELECT m.id AS id, m.role AS role, snippet(messages_fts, 0, '[', ']', '...', 12) AS snippet
        FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        WHERE messages_fts MATCH ? AND m.id < ? ORDER BY rank LIMIT ?""", query, before, limit).toList();
  }

  /** Each word of the text quoted, so FTS5 reads it as a word: {@code "lisbon" "may"}. */
  static String ftsQuery(String text) {
    StringBuilder q = new StringBuilder();
    var words = WORD.matcher(text == null ? "" : text);
    while (words.find()) {
      q.append(q.isEmpty() ? "" : " ").append('"').append(words.group()).append('"');
    }
    return q.toString();
  }

  private static Message toMessage(Map<String, Object> row) {
    return new Message((Long) row.get("id"), (Long) row.get("parent_id"), (String) row.get("role"),
        (String) row.get("content"), (String) row.get("tool"), (String) row.get("input"),
        (Long) row.get("run_id"), (String) row.get("created_at"));
  }
}
