package dev.durable.internal.runtime;

import dev.durable.runtime.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time; each due task runs on a virtual thread of its own. */
public final class SystemClock implements RuntimeClock, AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;

  /** A clock with its own timer thread. */
  public SystemClock() {
    timer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("durable-timer").factory());
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public Timer schedule(Instant when, Runnable task) {
    // TimeUnit.convert saturates: an alarm centuries ahead waits Long.MAX_VALUE microseconds
    // (about 292,000 years), where Duration.toNanos would overflow.
    long delayMicros = Math.max(0, TimeUnit.MICROSECONDS.convert(Duration.between(Instant.now(), when)));
    ScheduledFuture<?> f = timer.schedule(
        () -> Thread.ofVirtual().name("durable-timer-task").start(task),
        delayMicros, TimeUnit.MICROSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
