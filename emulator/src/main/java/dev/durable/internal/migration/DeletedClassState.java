package dev.durable.internal.migration;

/**
 * What a migration does with the state of a class listed in {@code deleted_classes}. Deleting
 * data is the one thing a developer cannot undo, so the state is kept unless the caller confirms
 * (the command line's {@code --delete-state}).
 */
public enum DeletedClassState {
  /** Keep the class's directory and warn, naming it and how to remove it. */
  KEEP,
  /** Remove the class's directory: the caller has confirmed. */
  REMOVE
}
