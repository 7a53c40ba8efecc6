package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One fiber of an agent as {@link Agent#listFibers()} shows it: a row of the agent's
 * {@code cf_agents_runs} table.
 *
 * @param id the fiber's id, unique within the agent
 * @param name the name it was started with; several fibers may share one
 * @param state where it is in its life
 * @param snapshot the last value stashed ({@link FiberContext#stash}), a null node when none
 * @param createdAt when {@code runFiber} registered it
 * @param updatedAt when its row last changed (a stash, a recovery, its end)
 * @param recoveries how many times {@link Agent#onFiberRecovered} was called for it
 * @param error why it failed, or why its last recovery did not finish; null when nothing went wrong
 */
public record Fiber(String id, String name, State state, JsonNode snapshot, Instant createdAt,
    Instant updatedAt, int recoveries, String error) {

  /** Where a fiber is in its life. Only {@link #RUNNING} fibers are ever recovered. */
  public enum State {
    /** Its body runs, or ran until the agent was evicted or the process died (then it is recovered). */
    RUNNING,
    /** It was interrupted, and {@link Agent#onFiberRecovered} handled it without resuming it. */
    RECOVERED,
    /** Its body returned. */
    FINISHED,
    /** Its body threw, or it was interrupted more often than {@link FiberRecovery#MAX_RECOVERIES}. */
    FAILED;

    /** The state as stored in the {@code status} column: its name in lower case. */
    public String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static State fromColumn(String column) {
      return valueOf(column.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** The last stashed value read as a type; empty when nothing was stashed. */
  public <T> Optional<T> snapshot(Class<T> type) {
    return snapshot == null || snapshot.isNull() ? Optional.empty() : Optional.of(AgentJson.read(snapshot, type));
  }
}
