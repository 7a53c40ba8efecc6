package dev.durable.internal.alarm;

import dev.durable.AlarmInfo;
import dev.durable.internal.gate.EventRunner;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers an object's alarm through its input gate and decides what a failure means: a retry
 * after 2 s, 4 s, 8 s, ... (2 s << n), at most {@value #MAX_RETRIES} retries, unless the handler
 * set a new alarm, which replaces the retry.
 */
public final class AlarmDelivery {
  private static final Logger log = LoggerFactory.getLogger(AlarmDelivery.class);
  static final int MAX_RETRIES = 6;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);

  private final ObjectAlarm alarm;
  private final EventRunner object;
  private final InstantSource clock;

  /** Delivers {@code alarm} to {@code object}; retries are timed on {@code clock}. */
  public AlarmDelivery(ObjectAlarm alarm, EventRunner object, InstantSource clock) {
    this.alarm = alarm;
    this.object = object;
    this.clock = clock;
  }

  /**
   * Delivers the alarm set for {@code scheduled}, then decides about a retry if it failed. The
   * attempt is recorded in the alarm store before the handler runs, so a crash of the process
   * mid-handler makes the restarted runtime deliver it again as retry {@code retryCount + 1}.
   */
  public void deliver(Instant scheduled, int retryCount) {
    if (retryCount > MAX_RETRIES) {
      giveUpAfterCrash(scheduled, retryCount);
      return;
    }
    AlarmInfo info = new AlarmInfo(retryCount, retryCount > 0, scheduled);
    Throwable failure = null;
    boolean[] delivered = {false};
    try {
      object.run(obj -> {
        if (!alarm.isScheduledFor(scheduled)) {
          return null; // replaced or deleted since the timer was set
        }
        delivered[0] = true;
        alarm.beginDelivery(scheduled, retryCount);
        obj.alarm(info);
        return null;
      }, true);
    } catch (Throwable t) {
      failure = t;
    }
    Instant replacement = alarm.endDelivery();
    if (failure != null) {
      afterFailure(scheduled, retryCount, delivered[0], replacement, failure);
    }
  }

  /**
   * Fires the pending alarm now, as if it had come due: the handler sees the alarm's scheduled
   * time and retry count, and a failure schedules a retry as usual. Returns false when no alarm
   * is set. Returns once the handler and its commit are done.
   */
  public boolean runNow() {
    ObjectAlarm.State pending = object.run(obj -> alarm.pending(), false);
    if (pending == null) {
      return false;
    }
    deliver(pending.time(), pending.retryCount());
    return true;
  }

  /** Only a crash during the last retry gets here: the attempts are used up. */
  private void giveUpAfterCrash(Instant scheduled, int retryCount) {
    object.run(obj -> {
      if (alarm.isScheduledFor(scheduled)) {
        log.error("Alarm of {} was interrupted or failed {} times; giving up", object.describe(), retryCount);
        alarm.delete();
      }
      return null;
    }, false);
  }

  private void afterFailure(Instant scheduled, int retryCount, boolean delivered, Instant replacement,
      Throwable cause) {
    object.run(obj -> {
      if (!delivered && !alarm.isScheduledFor(scheduled)) {
        return null;
      }
      if (replacement != null) {
        alarm.set(replacement);
      } else if (retryCount >= MAX_RETRIES) {
        log.error("Alarm of {} failed {} times; giving up", object.describe(), retryCount + 1, cause);
        alarm.delete();
      } else {
        Instant at = clock.instant().plus(FIRST_RETRY.multipliedBy(1L << retryCount));
        log.warn("Alarm of {} failed (attempt {}); retrying at {}", object.describe(), retryCount + 1,
            at, cause);
        alarm.setRetry(at, retryCount + 1);
      }
      return null;
    }, false);
  }
}
