package dev.durable.internal.cron;

import dev.durable.ScheduledEvent;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.RuntimeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the worker's {@code scheduled} handler for each cron trigger, on the runtime's clock (so
 * the test kit's manual clock drives it too). After each run the next time is computed from the
 * one just due, or from now if the clock has moved past it: missed runs are skipped, as
 * Cloudflare does, not replayed. A handler that throws is logged and the schedule goes on.
 *
 * <pre>{@code
 * try (CronScheduler crons = CronScheduler.start(runtime, config.crons())) {
 *   ...
 * }
 * }</pre>
 */
public final class CronScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CronScheduler.class);

  private final DurableRuntime runtime;
  private final RuntimeClock clock;
  private final List<RuntimeClock.Timer> timers = new ArrayList<>();
  private boolean closed;

  private CronScheduler(DurableRuntime runtime) {
    this.runtime = runtime;
    this.clock = runtime.clock();
  }

  /**
   * Starts running the schedules against a runtime.
   *
   * @throws IllegalArgumentException when there are schedules but the runtime has no worker
   */
  public static CronScheduler start(DurableRuntime runtime, List<CronSchedule> schedules) {
    if (!schedules.isEmpty() && !runtime.hasWorker()) {
      throw new IllegalArgumentException("Cron triggers " + schedules + " need a worker to run;"
          + " set 'main' in the configuration");
    }
    CronScheduler scheduler = new CronScheduler(runtime);
    Instant now = scheduler.clock.instant();
    for (CronSchedule schedule : schedules) {
      scheduler.scheduleAfter(schedule, now);
    }
    return scheduler;
  }

  private synchronized void scheduleAfter(CronSchedule schedule, Instant after) {
    if (closed) {
      return;
    }
    Instant due = schedule.next(after);
    RuntimeClock.Timer[] self = new RuntimeClock.Timer[1];
    self[0] = clock.schedule(due, () -> {
      forget(self[0]);
      fire(schedule, due);
    });
    timers.add(self[0]);
  }

  private void fire(CronSchedule schedule, Instant due) {
    if (isClosed()) {
      return;
    }
    try {
      runtime.scheduled(new ScheduledEvent(due, schedule.expression()));
    } catch (Throwable e) {
      log.error("The scheduled handler failed for cron \"{}\" due at {}; the schedule goes on",
          schedule.expression(), due, e);
    }
    Instant now = clock.instant();
    scheduleAfter(schedule, now.isAfter(due) ? now : due);
  }

  private synchronized void forget(RuntimeClock.Timer timer) {
    timers.remove(timer);
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Stops: no handler starts after this returns (one already running finishes). */
  @Override
  public synchronized void close() {
    closed = true;
    timers.forEach(RuntimeClock.Timer::cancel);
    timers.clear();
  }
}
