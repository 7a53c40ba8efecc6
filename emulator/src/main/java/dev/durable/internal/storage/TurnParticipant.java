package dev.durable.internal.storage;

/**
 * A part of an object whose changes follow its turns: kept or undone when a turn ends, made
 * durable when the batch of turns commits, dropped when the batch fails. The object's key-value
 * storage, its database and its alarm take part; the runtime's group commit loops over them in
 * that order, so buffered writes reach the database before it commits.
 */
public interface TurnParticipant {
  /**
   * A turn begins (or resumes after outgoing I/O): remember where to go back to if it fails.
   * Nothing is opened or written here; a database starts its transaction on the first write.
   */
  default void rememberTurnStart() {}

  /** The turn ends: keep its changes in the batch, or undo exactly them. */
  void endTurn(boolean keep);

  /** Whether the batch holds changes not yet made durable. */
  boolean hasUncommitted();

  /**
   * Called on every participant before any of them commits: does whatever could fail for a reason
   * other than the commit's own I/O (checking values, opening files), so that a participant
   * committing after another does not fail for such a reason once that one's changes are durable.
   */
  default void prepareCommit() throws Exception {}

  /** Makes the batch's changes durable. */
  void commit() throws Exception;

  /** Drops the batch's changes (the object is reset to its last committed state). */
  void rollback();
}
