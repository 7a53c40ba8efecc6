package dev.durable.internal.alarm;

import dev.durable.runtime.RuntimeClock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one timer per object alarm on the runtime's clock and hands due alarms to the runtime.
 * Delivery is synchronous: the task returns when the alarm handler (and the decision to retry)
 * is done, which is what lets a manual clock step through alarms deterministically.
 */
public final class AlarmScheduler {
  /** Delivers a due alarm to its object. */
  @FunctionalInterface
  public interface Delivery {
    /** Runs the alarm handler of the object, deciding retries; returns when done. */
    void deliver(String namespaceId, String objectId, Instant scheduledTime, int retryCount);
  }

  private record Key(String namespaceId, String objectId) {}

  private final RuntimeClock clock;
  private final Delivery delivery;
  private final Map<Key, RuntimeClock.Timer> timers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A scheduler on the given clock. */
  public AlarmScheduler(RuntimeClock clock, Delivery delivery) {
    this.clock = clock;
    this.delivery = delivery;
  }

  /** Schedules (or reschedules) an object's alarm. */
  public void schedule(String namespaceId, String objectId, Instant when, int retryCount) {
    if (closed) {
      return;
    }
    Key key = new Key(namespaceId, objectId);
    RuntimeClock.Timer[] self = new RuntimeClock.Timer[1];
    RuntimeClock.Timer timer = clock.schedule(when, () -> {
      timers.remove(key, self[0]);
      if (!closed) {
        delivery.deliver(namespaceId, objectId, when, retryCount);
      }
    });
    self[0] = timer;
    RuntimeClock.Timer previous = timers.put(key, timer);
    if (previous != null) {
      previous.cancel();
    }
  }

  /** Cancels an object's alarm timer. */
  public void cancel(String namespaceId, String objectId) {
    RuntimeClock.Timer previous = timers.remove(new Key(namespaceId, objectId));
    if (previous != null) {
      previous.cancel();
    }
  }

  /** Stops every timer; due alarms stay persisted and fire at the next start. */
  public void close() {
    closed = true;
    timers.values().forEach(RuntimeClock.Timer::cancel);
    timers.clear();
  }
}
