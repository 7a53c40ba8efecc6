package dev.durable.internal.gate;

import dev.durable.DurableObject;

/**
 * Runs work as one event of an object, through its input gate: the alarm delivery and the
 * hibernatable WebSockets reach objects through it, so they never import the runtime.
 */
public interface EventRunner {
  /** Work done inside the gate, given the live instance (null when not asked for). */
  @FunctionalInterface
  interface Task<T> {
    /** Runs with the gate held. */
    T run(DurableObject instance) throws Exception;
  }

  /**
   * Waits the object's turn, builds its instance if {@code needsInstance}, runs the task and
   * returns after the task's writes are committed; what the task throws is rethrown unchanged
   * after its writes were rolled back.
   */
  <T> T run(Task<T> task, boolean needsInstance);

  /** The object, for log lines: {@code <namespace id>/'name'} or {@code <namespace id>/<id>}. */
  String describe();
}
