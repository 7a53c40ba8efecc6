package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.durable.DurableObjectStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an agent's fibers live: the rows of {@code cf_agents_runs}, with the SDK's columns
 * ({@code id}, {@code name}, {@code snapshot} as JSON text, {@code created_at} in epoch
 * milliseconds) and ours: {@code status}, {@code recoveries}, {@code error}, {@code updated_at}.
 * The SDK deletes a row when its fiber ends; here it stays, so the agent can list what ran.
 */
final class FiberTable {
  static final String TABLE = "cf_agents_runs";

  private final AgentTables sql;

  FiberTable(DurableObjectStorage storage) {
    this.sql = new AgentTables(storage, List.of("CREATE TABLE IF NOT EXISTS " + TABLE
        + " (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, snapshot TEXT, created_at INTEGER NOT NULL,"
        + " status TEXT NOT NULL CHECK (status IN ('running', 'recovered', 'finished', 'failed')),"
        + " recoveries INTEGER NOT NULL DEFAULT 0, error TEXT, updated_at INTEGER NOT NULL)"));
  }

  void insert(String id, String name, Instant now) {
    sql.exec("INSERT INTO " + TABLE + " (id, name, snapshot, created_at, status, recoveries, updated_at)"
        + " VALUES (?, ?, NULL, ?, ?, 0, ?)", id, name, now.toEpochMilli(), Fiber.State.RUNNING.column(),
        now.toEpochMilli());
  }

  void stash(String id, JsonNode snapshot, Instant now) {
    sql.exec("UPDATE " + TABLE + " SET snapshot = ?, updated_at = ? WHERE id = ?",
        snapshot.isNull() ? null : AgentJson.write(snapshot), now.toEpochMilli(), id);
  }

  /** Sets a fiber's state; {@code error} replaces the last one (null clears it). */
  void end(String id, Fiber.State state, String error, Instant now) {
    sql.exec("UPDATE " + TABLE + " SET status = ?, error = ?, updated_at = ? WHERE id = ?", state.column(), error,
        now.toEpochMilli(), id);
  }

  /** Marks a fiber running again, one recovery more. */
  void countRecovery(String id, Instant now) {
    sql.exec("UPDATE " + TABLE + " SET status = ?, recoveries = recoveries + 1, updated_at = ? WHERE id = ?",
        Fiber.State.RUNNING.column(), now.toEpochMilli(), id);
  }

  /** Notes why a recovery did not finish; the fiber stays running, to be recovered again. */
  void noteError(String id, String error, Instant now) {
    sql.exec("UPDATE " + TABLE + " SET error = ?, updated_at = ? WHERE id = ?", error, now.toEpochMilli(), id);
  }

  List<Fiber> all() {
    return select("ORDER BY created_at, rowid");
  }

  /**
   * The running fibers' ids and recovery counts, without their snapshots: what deciding when the
   * alarm must fire needs, on every change of the agent's schedules.
   */
  Map<String, Integer> runningRecoveries() {
    Map<String, Integer> out = new HashMap<>();
    for (Map<String, Object> row : sql.exec("SELECT id, recoveries FROM " + TABLE + " WHERE status = ?",
        Fiber.State.RUNNING.column())) {
      out.put((String) row.get("id"), ((Number) row.get("recoveries")).intValue());
    }
    return out;
  }

  List<Fiber> running() {
    return select("WHERE status = ? ORDER BY created_at, rowid", Fiber.State.RUNNING.column());
  }

  Optional<Fiber> get(String id) {
    return select("WHERE id = ?", id).stream().findFirst();
  }

  /** Deletes the fibers that ended (finished, failed, recovered); returns how many. */
  int deleteEnded() {
    return (int) sql.exec("DELETE FROM " + TABLE + " WHERE status <> ?", Fiber.State.RUNNING.column())
        .rowsWritten();
  }

  private List<Fiber> select(String where, Object... bindings) {
    List<Fiber> out = new ArrayList<>();
    for (Map<String, Object> row : sql.exec("SELECT * FROM " + TABLE + " " + where, bindings)) {
      String snapshot = (String) row.get("snapshot");
      out.add(new Fiber((String) row.get("id"), (String) row.get("name"),
          Fiber.State.fromColumn((String) row.get("status")),
          snapshot == null ? NullNode.getInstance() : AgentJson.parse(snapshot),
          Instant.ofEpochMilli(((Number) row.get("created_at")).longValue()),
          Instant.ofEpochMilli(((Number) row.get("updated_at")).longValue()),
          ((Number) row.get("recoveries")).intValue(), (String) row.get("error")));
    }
    return out;
  }
}
