package dev.durable.internal.storage;

/**
 * Checks that storage is used from inside its own object's event, by the thread that holds the
 * object's gate. The runtime implements it; storage calls it before every operation.
 */
@FunctionalInterface
public interface TurnGuard {
  /** Throws when the calling thread is not running an event of the storage's object. */
  void check();
}
