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
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "durable-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public Timer schedule(Instant when, Runnable task) {
    long delayMicros = Math.max(0, Duration.between(Instant.now(), when).toNanos() / 1000);
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
