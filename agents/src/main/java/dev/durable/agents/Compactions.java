package dev.durable.agents;

import static dev.durable.agents.SessionTables.COMPACTIONS;
import static dev.durable.agents.SessionTables.SESSIONS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Compaction overlays: stored summaries of runs of messages, applied when a history is read and
 * never by changing the messages. A history sees the compactions of its leaf's session and of the
 * sessions that one was forked from, since it shares their past.
 */
final class Compactions {
  private static final String COLUMNS = "id, session_id, from_message_id, to_message_id, summary, created_at";

  private final SessionTables tables;

  Compactions(SessionTables tables) {
    this.tables = tables;
  }

  Compaction add(String sessionId, String fromId, String toId, String summary) {
    return toCompaction(tables.sql().exec("INSERT INTO " + COMPACTIONS + " (id, session_id, from_message_id,"
        + " to_message_id, summary, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
        UUID.randomUUID().toString(), sessionId, fromId, toId, summary, tables.nowMillis()).one());
  }

  List<Compaction> ofSession(String sessionId) {
    return tables.sql().exec("SELECT " + COLUMNS + " FROM " + COMPACTIONS + " WHERE session_id = ? ORDER BY seq",
        sessionId).toList().stream().map(Compactions::toCompaction).toList();
  }

  boolean remove(String id) {
    return tables.sql().exec("DELETE FROM " + COMPACTIONS + " WHERE id = ?", id).rowsWritten() > 0;
  }

  /**
   * The path with each applied compaction's run replaced by its summary. Newest first, a
   * compaction applies when both its ends are on the path and its run overlaps none applied yet.
   */
  List<Message> apply(List<MessageTree.Row> path, String leafSessionId) {
    List<Message> messages = path.stream().map(MessageTree.Row::message).toList();
    if (messages.isEmpty()) {
      return messages;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      index.put(messages.get(i).id(), i);
    }
    Compaction[] startingAt = new Compaction[messages.size()];
    int[] endOf = new int[messages.size()];
    boolean[] covered = new boolean[messages.size()];
    for (Compaction c : lineage(leafSessionId)) {
      Integer from = index.get(c.fromMessageId());
      Integer to = index.get(c.toMessageId());
      if (from == null || to == null || from > to || anyCovered(covered, from, to)) {
        continue;
      }
      java.util.Arrays.fill(covered, from, to + 1, true);
      startingAt[from] = c;
      endOf[from] = to;
    }
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Compaction c = startingAt[i];
      if (c == null) {
        out.add(messages.get(i));
      } else {
        out.add(summary(c, messages.get(i).parentId(), endOf[i] - i + 1));
        i = endOf[i];
      }
    }
    return out;
  }

  /** The compactions of a session and of the sessions it was forked from, newest first. */
  private List<Compaction> lineage(String sessionId) {
    return tables.sql().exec("WITH RECURSIVE lineage(id) AS (SELECT ? UNION SELECT s.parent_session_id FROM "
        + SESSIONS + " s JOIN lineage ON s.id = lineage.id WHERE s.parent_session_id IS NOT NULL)"
        + " SELECT " + COLUMNS + " FROM " + COMPACTIONS
        + " WHERE session_id IN (SELECT id FROM lineage) ORDER BY seq DESC",
        sessionId).toList().stream().map(Compactions::toCompaction).toList();
  }

  private static boolean anyCovered(boolean[] covered, int from, int to) {
    for (int i = from; i <= to; i++) {
      if (covered[i]) {
        return true;
      }
    }
    return false;
  }

  private static Message summary(Compaction c, String parentId, int messages) {
    ObjectNode part = AgentJson.object().put("type", "text").put("text", c.summary());
    ObjectNode about = AgentJson.object().put("id", c.id()).put("fromMessageId", c.fromMessageId())
        .put("toMessageId", c.toMessageId()).put("messages", messages);
    return new Message(Message.SUMMARY_ID_PREFIX + c.id(), c.sessionId(), parentId, "assistant", c.summary(),
        AgentJson.MAPPER.createArrayNode().add(part), AgentJson.object().set("compaction", about), c.createdAt());
  }

  private static Compaction toCompaction(Map<String, Object> r) {
    return new Compaction((String) r.get("id"), (String) r.get("session_id"), (String) r.get("from_message_id"),
        (String) r.get("to_message_id"), (String) r.get("summary"), SessionTables.instant(r.get("created_at")));
  }
}
