package dev.durable.internal.runtime;

import dev.durable.internal.storage.AlarmSlot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An object's alarm as its events see it. Changes are part of the event's writes: kept or rolled
 * back with the turn, persisted and scheduled when the batch commits. Used only by the thread
 * holding the object's gate.
 */
final class ObjectAlarm implements AlarmSlot {
  private record State(Instant time, int retryCount) {
    static final State NONE = new State(null, 0);
  }

  /** A committed alarm waiting for its time. */
  record Pending(Instant time, int retryCount) {}

  private final ObjectHandle handle;
  private State committed;
  private State current;
  private State turnStart;
  private boolean delivering;
  private Instant setDuringDelivery;
  /**
   * The committed alarm's timer has fired (a delivery began), so the next commit must persist and
   * schedule even an alarm equal to it: a handler may set the alarm again for the very instant
   * it was delivered at.
   */
  private boolean timerSpent;

  ObjectAlarm(ObjectHandle handle) {
    this.handle = handle;
    String objectId = handle.id().toString();
    this.committed = handle.namespace().alarms().get(objectId)
        .map(a -> new State(a.scheduledTime(), handle.namespace().alarms().retryCount(objectId)))
        .orElse(State.NONE);
    this.current = committed;
    this.turnStart = committed;
  }

  void beginTurn() {
    turnStart = current;
  }

  void endTurn(boolean keep) {
    if (!keep) {
      current = turnStart;
    }
    turnStart = current;
  }

  boolean hasUncommittedChange() {
    return timerSpent || !current.equals(committed);
  }

  void commit() {
    if (!timerSpent && current.equals(committed)) {
      return;
    }
    handle.namespace().persistAlarm(handle, current.time(), current.retryCount());
    committed = current;
    timerSpent = false;
  }

  void rollbackBatch() {
    current = committed;
    turnStart = committed;
  }

  /** The committed alarm, or null when none is set. */
  Pending pending() {
    return committed.time() == null ? null : new Pending(committed.time(), committed.retryCount());
  }

  boolean isScheduledFor(Instant time) {
    return Objects.equals(committed.time(), time) && Objects.equals(current.time(), time);
  }

  /** While the handler runs, {@code getAlarm()} is empty unless the handler sets a new one. */
  void beginDelivery() {
    delivering = true;
    timerSpent = true;
    setDuringDelivery = null;
    current = State.NONE;
  }

  /** Ends a delivery; returns the alarm the handler set, if it set one. */
  Instant endDelivery() {
    delivering = false;
    Instant set = setDuringDelivery;
    setDuringDelivery = null;
    return set;
  }

  void setRetry(Instant time, int retryCount) {
    current = new State(time.truncatedTo(ChronoUnit.MILLIS), retryCount);
  }

  @Override
  public Optional<Instant> get() {
    return Optional.ofNullable(current.time());
  }

  @Override
  public void set(Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("setAlarm() time must not be null; use deleteAlarm()");
    }
    if (time.toEpochMilli() <= 0) {
      throw new IllegalArgumentException("setAlarm() time must be after the Unix epoch, got " + time);
    }
    if (!handle.namespace().hasAlarmHandler()) {
      throw new IllegalStateException("Your Durable Object class "
          + handle.namespace().objectClass().getName()
          + " must override alarm(AlarmInfo) in order to call setAlarm()");
    }
    Instant ms = time.truncatedTo(ChronoUnit.MILLIS);
    current = new State(ms, 0);
    if (delivering) {
      setDuringDelivery = ms;
    }
  }

  @Override
  public void delete() {
    current = State.NONE;
    if (delivering) {
      setDuringDelivery = null;
    }
  }

  @Override
  public Object mark() {
    return current;
  }

  @Override
  public void rollbackTo(Object mark) {
    current = (State) mark;
  }
}
