package dev.durable.internal.runtime;

import dev.durable.runtime.RuntimeClock;
import java.time.Duration;

/**
 * The runtime's housekeeping thread, lent to the parts that need work done later or off the
 * caller's thread (limits such as 30 s, closing idle databases). Nothing runs once the runtime
 * is closing.
 */
interface Housekeeping {
  /** Runs an action after a real-time delay unless cancelled. */
  RuntimeClock.Timer watchdog(Duration delay, Runnable action);

  /** Runs work off the caller's thread. */
  void background(Runnable work);
}
