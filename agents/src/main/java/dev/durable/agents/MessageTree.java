package dev.durable.agents;

import static dev.durable.agents.SessionTables.MESSAGES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.SqlStorage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The messages of all sessions as one tree: each row names its parent, and a fork's messages
 * hang off a message of the session it was forked from, so forks share their past instead of
 * copying it. Callers hold the transaction; this class only reads and inserts rows.
 */
final class MessageTree {
  private static final String COLUMNS = "seq, id, session_id, parent_id, role, content, parts, metadata, created_at";
  /** The seqs of the path from a message up to its root. UNION, not UNION ALL: a cycle ends it. */
  static final String PATH_UP = "WITH RECURSIVE up(seq) AS (SELECT seq FROM " + MESSAGES + " WHERE id = ?"
      + " UNION SELECT m.parent_seq FROM " + MESSAGES + " m JOIN up ON m.seq = up.seq WHERE m.parent_seq IS NOT NULL) ";

  private final SessionTables tables;

  MessageTree(SessionTables tables) {
    this.tables = tables;
  }

  private SqlStorage sql() {
    return tables.sql();
  }

  /** A stored message with its place in append order. */
  record Row(long seq, Message message) {}

  Optional<Row> row(String id) {
    return first(sql().exec("SELECT " + COLUMNS + " FROM " + MESSAGES + " WHERE id = ?", id).toList());
  }

  /** The message, or an error naming it. */
  Row existing(String id, String what) {
    if (id == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return row(id).orElseThrow(() -> new IllegalArgumentException("Unknown " + what.toLowerCase(java.util.Locale.ROOT)
        + " '" + id + "': no message has this id"));
  }

  /** The newest message appended to the session, if any. */
  Optional<Row> newest(String sessionId) {
    return first(sql().exec("SELECT " + COLUMNS + " FROM " + MESSAGES
        + " WHERE session_id = ? ORDER BY seq DESC LIMIT 1", sessionId).toList());
  }

  List<Message> ofSession(String sessionId) {
    return messages(sql().exec("SELECT " + COLUMNS + " FROM " + MESSAGES + " WHERE session_id = ? ORDER BY seq",
        sessionId).toList());
  }

  long count(String sessionId) {
    return (Long) sql().exec("SELECT count(*) AS n FROM " + MESSAGES + " WHERE session_id = ?", sessionId)
        .one().get("n");
  }

  List<Message> children(String id) {
    return messages(sql().exec("SELECT " + COLUMNS + " FROM " + MESSAGES + " WHERE parent_seq ="
        + " (SELECT seq FROM " + MESSAGES + " WHERE id = ?) ORDER BY seq", id).toList());
  }

  /** The path from the root down to the message, root first; empty when there is no such message. */
  List<Row> path(String leafId) {
    return sql().exec(PATH_UP + "SELECT " + COLUMNS + " FROM " + MESSAGES
        + " WHERE seq IN (SELECT seq FROM up) ORDER BY seq", leafId).toList().stream().map(MessageTree::toRow).toList();
  }

  /** Whether the message {@code ancestorSeq} is on the path from the root to {@code leafId} (itself included). */
  boolean onPath(long ancestorSeq, String leafId) {
    return !sql().exec(PATH_UP + "SELECT 1 FROM up WHERE seq = ?", leafId, ancestorSeq).toList().isEmpty();
  }

  /**
   * Whether a session sees the message: it was appended there, or it is on the past the session
   * was forked from (which reaches back through the forks before it).
   */
  boolean visibleIn(Session session, Row row) {
    return row.message().sessionId().equals(session.id())
        || (session.forkedFromMessageId() != null && onPath(row.seq(), session.forkedFromMessageId()));
  }

  /** Stores a message under {@code parent} (null for a root) and returns it. */
  Message insert(String sessionId, NewMessage m, Row parent, int maxBytes) {
    String parts = AgentJson.write(m.parts());
    String metadata = AgentJson.write(m.metadata());
    long bytes = utf8Length(m.content()) + utf8Length(parts) + utf8Length(metadata);
    if (bytes > maxBytes) {
      throw new IllegalArgumentException("Message is " + bytes + " bytes (content, parts and metadata in UTF-8);"
          + " the limit is " + maxBytes);
    }
    String id = m.id() != null ? m.id() : UUID.randomUUID().toString();
    if (m.id() != null && row(id).isPresent()) {
      throw new IllegalArgumentException("Message id '" + id + "' is already taken; message ids are unique"
          + " across the object's sessions");
    }
    return toRow(sql().exec("INSERT INTO " + MESSAGES + " (id, session_id, parent_seq, parent_id, role, content,"
        + " parts, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
        id, sessionId, parent == null ? null : parent.seq(), parent == null ? null : parent.message().id(),
        m.role(), m.content(), parts, metadata, tables.nowMillis()).one()).message();
  }

  static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Optional<Row> first(List<Map<String, Object>> rows) {
    return rows.stream().findFirst().map(MessageTree::toRow);
  }

  private static List<Message> messages(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> toRow(r).message()).toList();
  }

  /** Stored JSON; most messages have no parts or metadata, and those skip the parser. */
  private static JsonNode json(String stored) {
    return switch (stored) {
      case "[]" -> AgentJson.MAPPER.createArrayNode();
      case "{}" -> AgentJson.object();
      default -> AgentJson.parse(stored);
    };
  }

  static Row toRow(Map<String, Object> r) {
    return new Row((Long) r.get("seq"), new Message((String) r.get("id"), (String) r.get("session_id"),
        (String) r.get("parent_id"), (String) r.get("role"), (String) r.get("content"),
        json((String) r.get("parts")), json((String) r.get("metadata")),
        SessionTables.instant(r.get("created_at"))));
  }
}
