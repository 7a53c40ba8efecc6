package dev.durable.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;

/**
 * The runtime's time and timer. Alarms, {@code ctx.now()} and {@code ctx.sleep()} all go through
 * it, so a test can swap in a clock it moves by hand.
 */
public interface RuntimeClock extends InstantSource {
  /** Runs the task once the clock reaches {@code when} (at once if it already has). */
  Timer schedule(Instant when, Runnable task);

  /**
   * Blocks the calling thread until the clock has moved {@code duration} past now (what
   * {@code ctx.sleep()} waits on). A clock moved by hand overrides it to know which threads wait
   * on it.
   */
  default void sleep(Duration duration) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Timer timer = schedule(instant().plus(duration), done::countDown);
    try {
      done.await();
    } finally {
      timer.cancel();
    }
  }

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not started. */
    void cancel();
  }
}
