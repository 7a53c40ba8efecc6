package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObjectStorage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an agent's state lives: one row of {@code cf_agents_state}, the table and row id
 * Cloudflare's Agents SDK uses, so the explorer and the REPL show it (and can edit it) like
 * any table. It is read on every access rather than cached, so an edit made from outside is
 * what the agent sees next.
 */
final class StateTable {
  static final String TABLE = "cf_agents_state";
  static final String ROW_ID = "cf_state_row_id";

  private final AgentTables sql;

  StateTable(DurableObjectStorage storage) {
    this.sql = new AgentTables(storage,
        List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (id TEXT PRIMARY KEY NOT NULL, state TEXT)"));
  }

  Optional<JsonNode> read() {
    List<Map<String, Object>> rows = sql.exec("SELECT state FROM " + TABLE + " WHERE id = ?", ROW_ID).toList();
    if (rows.isEmpty() || rows.get(0).get("state") == null) {
      return Optional.empty();
    }
    return Optional.of(AgentJson.parse((String) rows.get(0).get("state")));
  }

  void write(JsonNode state) {
    sql.exec("INSERT OR REPLACE INTO " + TABLE + " (id, state) VALUES (?, ?)", ROW_ID, AgentJson.write(state));
  }
}
