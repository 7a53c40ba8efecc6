package dev.durable.agents;

import dev.durable.DurableObjectStorage;
import dev.durable.SqlCursor;
import dev.durable.SqlException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Some of the agent library's own tables ({@code cf_agents_...}) in the object's SQLite, made on
 * first use: a call runs as it is, and only when SQLite says one of ours is missing are they made
 * (in one transaction) and the call run again. Asking SQLite whether they exist on every call
 * would cost a statement each time, and remembering that they were made is not enough: a
 * transaction that fails after making them rolls them back.
 */
final class AgentTables {
  private final DurableObjectStorage storage;
  private final List<String> schema;

  /** The tables {@code schema} makes ({@code CREATE ... IF NOT EXISTS} statements). */
  AgentTables(DurableObjectStorage storage, List<String> schema) {
    this.storage = storage;
    this.schema = List.copyOf(schema);
  }

  /** Runs one statement on the tables. */
  SqlCursor exec(String sql, Object... bindings) {
    return withTables(() -> storage.sql().exec(sql, bindings));
  }

  /** Runs a call that uses the tables; it runs again if they had to be made first. */
  <T> T withTables(Supplier<T> body) {
    try {
      return body.get();
    } catch (SqlException e) {
      if (!String.valueOf(e.getMessage()).startsWith("no such table: cf_agents_")) {
        throw e;
      }
      storage.transaction(() -> {
        schema.forEach(statement -> storage.sql().exec(statement));
        return null;
      });
      return body.get();
    }
  }
}
