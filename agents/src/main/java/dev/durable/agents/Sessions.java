package dev.durable.agents;

import static dev.durable.agents.SessionTables.BLOCKS;
import static dev.durable.agents.SessionTables.COMPACTIONS;
import static dev.durable.agents.SessionTables.MESSAGES;
import static dev.durable.agents.SessionTables.SESSIONS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStorage;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversation memory in the object's SQLite: sessions whose messages form a tree, histories
 * read from any leaf up to the root, forks that share their past instead of copying it,
 * full-text search with snippets, compactions that summarize a run of messages without
 * deleting it, and {@link ContextBlocks context blocks} for the system prompt. Built on the
 * public SQL API only, so any Durable Object can use it; {@link Agent#sessions()} is the same.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.of(ctx);
 * Session chat = sessions.create("Trip planning");
 * Message q = sessions.append(chat.id(), NewMessage.user("Where should I go in May?"));
 * sessions.append(chat.id(), NewMessage.assistant("Lisbon: warm, not yet hot."));
 * List<Message> history = sessions.sessionHistory(chat.id());        // root first
 * Session other = sessions.fork(chat.id(), q.id(), "Trip, take two");  // shares q, copies nothing
 * List<SearchHit> hits = sessions.search(chat.id(), "lisbon");
 * }</pre>
 *
 * Every call that writes runs in one transaction: bad input (an unknown session or parent, a
 * cycle, a message over {@value #MAX_MESSAGE_BYTES} bytes, a query FTS5 cannot parse) is an
 * {@link IllegalArgumentException} that names it, and nothing is written. The tables
 * ({@code cf_agents_sessions}, {@code cf_agents_session_messages}, ...) are made on first use.
 */
public final class Sessions {
  /** Most bytes a message's content, parts and metadata may take together, in UTF-8. */
  public static final int MAX_MESSAGE_BYTES = 1_000_000;

  /** Longest session name, in characters. */
  public static final int MAX_NAME_LENGTH = 256;

  private static final String COLUMNS =
      "id, name, parent_session_id, forked_from_message_id, metadata, created_at, updated_at";

  private final SessionTables tables;
  private final MessageTree tree;
  private final MessageSearch search;
  private final Compactions compactions;

  /** Sessions over this storage, timestamped by the clock (in an object, {@code ctx::now}). */
  public Sessions(DurableObjectStorage storage, InstantSource clock) {
    this.tables = new SessionTables(storage, clock);
    this.tree = new MessageTree(tables);
    this.search = new MessageSearch(tables);
    this.compactions = new Compactions(tables);
  }

  /** Sessions of the object whose state this is, timestamped by its clock. */
  public static Sessions of(DurableObjectState ctx) {
    return new Sessions(ctx.storage(), ctx::now);
  }

  // ---- sessions ----

  /** Makes a session with no metadata. */
  public Session create(String name) {
    return create(name, null);
  }

  /** Makes a session; {@code metadata} is anything Jackson writes as a JSON object, or null. */
  public Session create(String name, Object metadata) {
    checkName(name);
    JsonNode meta = metadata == null ? AgentJson.object() : AgentJson.tree(metadata);
    if (!meta.isObject()) {
      throw new IllegalArgumentException("A session's metadata must be a JSON object, got " + meta.getNodeType());
    }
    return tables.write(() -> insertSession(name, null, null, meta));
  }

  /** The session with this id, if there is one. */
  public Optional<Session> get(String sessionId) {
    return tables.read(() -> find(sessionId));
  }

  /** Every session, the most recently active first. */
  public List<Session> list() {
    return tables.read(() -> tables.sql().exec("SELECT " + COLUMNS + " FROM " + SESSIONS
        + " ORDER BY updated_at DESC, rowid DESC").toList().stream().map(Sessions::toSession).toList());
  }

  /** Gives a session another name. */
  public Session rename(String sessionId, String name) {
    checkName(name);
    return tables.write(() -> {
      existing(sessionId);
      return toSession(tables.sql().exec("UPDATE " + SESSIONS + " SET name = ?, updated_at = ? WHERE id = ? RETURNING "
          + COLUMNS, name, tables.nowMillis(), sessionId).one());
    });
  }

  /**
   * Deletes a session with its messages, compactions and context blocks; false when there was
   * no such session. A session that has forks is refused: they share its messages.
   */
  public boolean delete(String sessionId) {
    return tables.write(() -> {
      if (find(sessionId).isEmpty()) {
        return false;
      }
      List<Object> forks = tables.sql().exec("SELECT id FROM " + SESSIONS
          + " WHERE parent_session_id = ? ORDER BY rowid", sessionId).toList().stream().map(r -> r.get("id")).toList();
      if (!forks.isEmpty()) {
        throw new IllegalArgumentException("Session '" + sessionId + "' has forks that share its messages " + forks
            + "; delete them first");
      }
      tables.sql().exec("DELETE FROM " + MESSAGES + " WHERE session_id = ?", sessionId);
      tables.sql().exec("DELETE FROM " + COMPACTIONS + " WHERE session_id = ?", sessionId);
      tables.sql().exec("DELETE FROM " + BLOCKS + " WHERE scope = ?", sessionId);
      tables.sql().exec("DELETE FROM " + SESSIONS + " WHERE id = ?", sessionId);
      return true;
    });
  }

  /**
   * Starts a new session that continues from a message the session sees: its history is the
   * path to that message, shared rather than copied, and its first message follows it. The
   * session's own context blocks are copied to the fork.
   */
  public Session fork(String sessionId, String messageId, String name) {
    checkName(name);
    return tables.write(() -> {
      Session from = existing(sessionId);
      MessageTree.Row at = visible(from, messageId, "Message");
      Session fork = insertSession(name, from.id(), at.message().id(), from.metadata());
      tables.sql().exec("INSERT INTO " + BLOCKS + " (scope, label, position, description, content, format, max_chars,"
          + " readonly, updated_at) SELECT ?, label, position, description, content, format, max_chars, readonly,"
          + " updated_at FROM " + BLOCKS + " WHERE scope = ?", fork.id(), from.id());
      return fork;
    });
  }

  // ---- messages ----

  /**
   * Appends a message after the session's latest one ({@link #latestLeaf}): its newest message,
   * else for a fork the message it was forked from, else none (the message is a root).
   */
  public Message append(String sessionId, NewMessage message) {
    checkMessage(message);
    return tables.write(() -> {
      Session s = existing(sessionId);
      return appendTo(s, tip(s).orElse(null), message);
    });
  }

  /**
   * Appends a message under the given parent, which the session must see (its own message, or
   * one of the past it was forked from); a null parent makes the message a new root.
   */
  public Message append(String sessionId, String parentId, NewMessage message) {
    checkMessage(message);
    if (parentId != null && parentId.equals(message.id())) {
      throw new IllegalArgumentException("Message '" + parentId + "' cannot be its own parent: that is a cycle");
    }
    return tables.write(() -> {
      Session s = existing(sessionId);
      return appendTo(s, parentId == null ? null : visible(s, parentId, "Parent message"), message);
    });
  }

  /** The stored message with this id, in any session. */
  public Optional<Message> message(String messageId) {
    return tables.read(() -> tree.row(messageId).map(MessageTree.Row::message));
  }

  /** The messages appended to a session, in append order: the session's part of the tree. */
  public List<Message> messages(String sessionId) {
    return tables.read(() -> tree.ofSession(existing(sessionId).id()));
  }

  /** How many messages were appended to a session (not counting the past a fork shares). */
  public long messageCount(String sessionId) {
    return tables.read(() -> tree.count(existing(sessionId).id()));
  }

  /** The messages that follow this one directly, in append order, in any session. */
  public List<Message> children(String messageId) {
    return tables.read(() -> tree.children(tree.existing(messageId, "Message").message().id()));
  }

  /** The message a plain {@link #append(String, NewMessage)} follows, if any. */
  public Optional<Message> latestLeaf(String sessionId) {
    return tables.read(() -> tip(existing(sessionId)).map(MessageTree.Row::message));
  }

  /** The path from the root to the message, root first, exactly as stored (no compaction applied). */
  public List<Message> branch(String leafId) {
    return tables.read(() -> {
      tree.existing(leafId, "Message");
      return tree.path(leafId).stream().map(MessageTree.Row::message).toList();
    });
  }

  /**
   * The path from the root to the message, root first, with compactions applied: a summary
   * message ({@link Message#isSummary()}) in place of each compacted run. What a model is given.
   */
  public List<Message> history(String leafId) {
    return tables.read(() -> {
      MessageTree.Row leaf = tree.existing(leafId, "Message");
      return compactions.apply(tree.path(leafId), leaf.message().sessionId());
    });
  }

  /** The {@link #history} of the session's {@link #latestLeaf}; empty when it has none. */
  public List<Message> sessionHistory(String sessionId) {
    return tables.read(() -> {
      Session s = existing(sessionId);
      return tip(s).map(leaf -> compactions.apply(tree.path(leaf.message().id()), s.id())).orElse(List.of());
    });
  }

  // ---- search ----

  /** Searches a session's messages, and the past a fork shares, with an FTS5 query; 20 hits at most. */
  public List<SearchHit> search(String sessionId, String query) {
    return search(sessionId, query, SearchOptions.DEFAULT);
  }

  /** Searches a session's messages, and the past a fork shares, with an FTS5 query. */
  public List<SearchHit> search(String sessionId, String query, SearchOptions options) {
    return tables.read(() -> search.search(existing(sessionId), query, options, beforeSeq(options)));
  }

  /** Searches the messages of every session with an FTS5 query; 20 hits at most. */
  public List<SearchHit> searchAll(String query) {
    return searchAll(query, SearchOptions.DEFAULT);
  }

  /** Searches the messages of every session with an FTS5 query. */
  public List<SearchHit> searchAll(String query, SearchOptions options) {
    return tables.read(() -> search.search(null, query, options, beforeSeq(options)));
  }

  /**
   * A query matching messages that contain every word of the text, whatever FTS5 operators or
   * quotes it holds: for text typed by people or models. Empty when the text has no words.
   */
  public static String allWords(String text) {
    return MessageSearch.allWords(text);
  }

  // ---- compaction ----

  /**
   * Stores a summary that stands in for the messages from {@code fromMessageId} down to
   * {@code toMessageId} in the histories of this session and its forks. The run must be on one
   * branch the session sees, root side first; the messages stay stored and searchable.
   */
  public Compaction compact(String sessionId, String fromMessageId, String toMessageId, String summary) {
    if (summary == null || summary.isBlank()) {
      throw new IllegalArgumentException("A compaction's summary must not be empty");
    }
    if (MessageTree.utf8Length(summary) > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("A compaction's summary is " + MessageTree.utf8Length(summary)
          + " bytes in UTF-8; the limit is " + MAX_MESSAGE_BYTES);
    }
    return tables.write(() -> {
      Session s = existing(sessionId);
      MessageTree.Row to = visible(s, toMessageId, "Last compacted message");
      MessageTree.Row from = visible(s, fromMessageId, "First compacted message");
      if (!tree.onPath(from.seq(), toMessageId)) {
        boolean swapped = tree.onPath(to.seq(), fromMessageId);
        throw new IllegalArgumentException("Message '" + fromMessageId + "' is not on the branch leading to '"
            + toMessageId + "': a compaction covers a run of one branch, from a message down to one after it"
            + (swapped ? " (the two are given the other way round)" : ""));
      }
      return compactions.add(s.id(), fromMessageId, toMessageId, summary);
    });
  }

  /** The compactions made in a session, oldest first. */
  public List<Compaction> compactions(String sessionId) {
    return tables.read(() -> compactions.ofSession(existing(sessionId).id()));
  }

  /** Removes a compaction, so histories show its messages again; false when there was none. */
  public boolean undoCompaction(String compactionId) {
    return tables.write(() -> compactions.remove(compactionId));
  }

  // ---- context blocks ----

  /** The context blocks every session shares: the agent's persona, what it knows of the user. */
  public ContextBlocks context() {
    return new ContextBlocks(tables, "");
  }

  /** The context blocks of one session; they go with it when it is deleted and are copied to its forks. */
  public ContextBlocks context(String sessionId) {
    return new ContextBlocks(tables, tables.read(() -> existing(sessionId)).id());
  }

  // ---- internals ----

  private Message appendTo(Session s, MessageTree.Row parent, NewMessage message) {
    Message m = tree.insert(s.id(), message, parent, MAX_MESSAGE_BYTES);
    tables.sql().exec("UPDATE " + SESSIONS + " SET updated_at = ? WHERE id = ?", tables.nowMillis(), s.id());
    return m;
  }

  private Optional<MessageTree.Row> tip(Session s) {
    Optional<MessageTree.Row> newest = tree.newest(s.id());
    if (newest.isPresent() || s.forkedFromMessageId() == null) {
      return newest;
    }
    return tree.row(s.forkedFromMessageId());
  }

  /** The message, which the session must see; else an error naming what is wrong. */
  private MessageTree.Row visible(Session s, String messageId, String what) {
    MessageTree.Row row = tree.existing(messageId, what);
    if (!tree.visibleIn(s, row)) {
      throw new IllegalArgumentException(what + " '" + messageId + "' belongs to session '" + row.message().sessionId()
          + "', which session '" + s.id() + "' neither is nor was forked from at or after that message");
    }
    return row;
  }

  private Long beforeSeq(SearchOptions options) {
    return options.beforeMessageId() == null ? null : tree.existing(options.beforeMessageId(), "Message").seq();
  }

  private Session insertSession(String name, String parentId, String forkedFrom, JsonNode metadata) {
    long now = tables.nowMillis();
    return toSession(tables.sql().exec("INSERT INTO " + SESSIONS + " (id, name, parent_session_id,"
        + " forked_from_message_id, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " RETURNING " + COLUMNS,
        UUID.randomUUID().toString(), name, parentId, forkedFrom, AgentJson.write(metadata), now, now).one());
  }

  private Optional<Session> find(String sessionId) {
    return tables.sql().exec("SELECT " + COLUMNS + " FROM " + SESSIONS + " WHERE id = ?", sessionId).toList().stream()
        .findFirst().map(Sessions::toSession);
  }

  private Session existing(String sessionId) {
    if (sessionId == null) {
      throw new IllegalArgumentException("A session id must not be null");
    }
    return find(sessionId).orElseThrow(() -> new IllegalArgumentException("Unknown session '" + sessionId + "'"));
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("A session's name must be 1 to " + MAX_NAME_LENGTH
          + " characters and not blank; got " + (name == null ? "null" : "'" + name + "'"));
    }
  }

  private static void checkMessage(NewMessage message) {
    if (message == null) {
      throw new IllegalArgumentException("The message to append must not be null");
    }
  }

  private static Session toSession(Map<String, Object> r) {
    return new Session((String) r.get("id"), (String) r.get("name"), (String) r.get("parent_session_id"),
        (String) r.get("forked_from_message_id"), AgentJson.parse((String) r.get("metadata")),
        SessionTables.instant(r.get("created_at")), SessionTables.instant(r.get("updated_at")));
  }
}
