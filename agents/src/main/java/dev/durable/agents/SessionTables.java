package dev.durable.agents;

import dev.durable.DurableObjectStorage;
import dev.durable.SqlStorage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tables of {@link Sessions}, all named {@code cf_agents_...} so they stay clear of the
 * user's own, and the one way the session classes run their statements: writes in one
 * transaction, so a call that fails writes nothing, and the tables made on first use.
 *
 * <p>Messages are numbered by {@code seq} (the rowid) in append order; since a parent must exist
 * before its child, a path sorted by {@code seq} is root-first. The full-text index is an FTS5
 * table over the messages' {@code content}, kept in step by triggers.
 */
final class SessionTables {
  static final String SESSIONS = "cf_agents_sessions";
  static final String MESSAGES = "cf_agents_session_messages";
  static final String FTS = "cf_agents_session_fts";
  static final String COMPACTIONS = "cf_agents_session_compactions";
  static final String BLOCKS = "cf_agents_context_blocks";

  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS " + SESSIONS + " (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
          + " parent_session_id TEXT, forked_from_message_id TEXT, metadata TEXT NOT NULL,"
          + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS " + MESSAGES + " (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
          + " session_id TEXT NOT NULL, parent_seq INTEGER, parent_id TEXT, role TEXT NOT NULL,"
          + " content TEXT NOT NULL, parts TEXT NOT NULL, metadata TEXT NOT NULL, created_at INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS " + MESSAGES + "_by_session ON " + MESSAGES + " (session_id, seq)",
      "CREATE INDEX IF NOT EXISTS " + MESSAGES + "_by_parent ON " + MESSAGES + " (parent_seq)",
      "CREATE VIRTUAL TABLE IF NOT EXISTS " + FTS + " USING fts5(content, content = '" + MESSAGES + "',"
          + " content_rowid = 'seq', tokenize = 'porter unicode61')",
      "CREATE TRIGGER IF NOT EXISTS " + FTS + "_insert AFTER INSERT ON " + MESSAGES + " BEGIN"
          + " INSERT INTO " + FTS + " (rowid, content) VALUES (new.seq, new.content); END",
      "CREATE TRIGGER IF NOT EXISTS " + FTS + "_delete AFTER DELETE ON " + MESSAGES + " BEGIN"
          + " INSERT INTO " + FTS + " (" + FTS + ", rowid, content) VALUES ('delete', old.seq, old.content); END",
      "CREATE TABLE IF NOT EXISTS " + COMPACTIONS + " (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
          + " session_id TEXT NOT NULL, from_message_id TEXT NOT NULL, to_message_id TEXT NOT NULL,"
          + " summary TEXT NOT NULL, created_at INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS " + COMPACTIONS + "_by_session ON " + COMPACTIONS + " (session_id, seq)",
      "CREATE TABLE IF NOT EXISTS " + BLOCKS + " (scope TEXT NOT NULL, label TEXT NOT NULL,"
          + " position INTEGER NOT NULL, description TEXT NOT NULL, content TEXT NOT NULL, format TEXT NOT NULL,"
          + " max_chars INTEGER NOT NULL, readonly INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
          + " PRIMARY KEY (scope, label))");

  private final DurableObjectStorage storage;
  private final AgentTables tables;
  private final InstantSource clock;

  SessionTables(DurableObjectStorage storage, InstantSource clock) {
    if (storage == null || clock == null) {
      throw new IllegalArgumentException("Sessions need the object's storage and a clock, got "
          + (storage == null ? "no storage" : "no clock"));
    }
    this.storage = storage;
    this.tables = new AgentTables(storage, SCHEMA);
    this.clock = clock;
  }

  SqlStorage sql() {
    return storage.sql();
  }

  /** Now, in the millisecond precision the tables keep. */
  long nowMillis() {
    return clock.instant().toEpochMilli();
  }

  static Instant instant(Object millis) {
    return Instant.ofEpochMilli((Long) millis);
  }

  /** Runs a call's writes in one transaction: if it throws, none of them stays. */
  <T> T write(Supplier<T> body) {
    return withTables(() -> storage.transaction(body::get));
  }

  /** Runs a call that only reads. */
  <T> T read(Supplier<T> body) {
    return withTables(body);
  }

  private <T> T withTables(Supplier<T> body) {
    return tables.withTables(body);
  }
}
