package dev.durable.internal.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * The object's one alarm as seen from inside a turn. Changes take effect when the turn's writes
 * commit, and are undone with them. The runtime implements it.
 */
public interface AlarmSlot {
  /** The alarm this turn sees. */
  Optional<Instant> get();

  /** Sets the alarm (validated by the caller's rules). */
  void set(Instant time);

  /** Cancels the alarm. */
  void delete();

  /** A token for the current alarm state, to restore if a transaction rolls back. */
  Object mark();

  /** Restores the state captured by {@link #mark()}. */
  void rollbackTo(Object mark);
}
