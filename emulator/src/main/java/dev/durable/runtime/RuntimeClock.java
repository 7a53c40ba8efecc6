package dev.durable.runtime;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The runtime's time and timer. Alarms, {@code ctx.now()} and {@code ctx.sleep()} all go through
 * it, so a test can swap in a clock it moves by hand.
 */
public interface RuntimeClock extends InstantSource {
  /** Runs the task once the clock reaches {@code when} (at once if it already has). */
  Timer schedule(Instant when, Runnable task);

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not started. */
    void cancel();
  }
}
