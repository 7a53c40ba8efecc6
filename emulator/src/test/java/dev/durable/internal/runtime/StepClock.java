package dev.durable.internal.runtime;

import dev.durable.runtime.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock the test moves: due tasks run on the caller's thread, in time order. The runtime's and
 * the configuration's tests share it (the test kit's ManualClock is for users).
 */
public final class StepClock implements RuntimeClock {
  private record Task(Instant when, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.when.equals(b.when)
      ? Long.compare(a.seq, b.seq) : a.when.compareTo(b.when));
  private Instant now;
  private long seq;

  public StepClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Timer schedule(Instant when, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(when, seq++, task, cancelled));
    return () -> {
      synchronized (StepClock.this) {
        cancelled[0] = true;
      }
    };
  }

  /** Tasks not yet run nor cancelled. */
  public synchronized long pending() {
    return tasks.stream().filter(t -> !t.cancelled[0]).count();
  }

  /** Moves time forward, running every task that comes due, each at its own time. */
  public void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.when.isAfter(target)) {
          now = target;
          return;
        }
        tasks.poll();
        if (next.when.isAfter(now)) {
          now = next.when;
        }
        if (next.cancelled[0]) {
          continue;
        }
      }
      next.run.run();
    }
  }
}
