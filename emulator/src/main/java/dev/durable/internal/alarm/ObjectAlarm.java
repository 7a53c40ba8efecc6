package dev.durable.internal.alarm;

import dev.durable.internal.storage.AlarmSlot;
import dev.durable.internal.storage.TurnParticipant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An object's alarm as its events see it. Changes are part of the event's writes: kept or rolled
 * back with the turn, persisted and scheduled when the batch commits. Used only by the thread
 * holding the object's gate.
 */
public final class ObjectAlarm implements AlarmSlot, TurnParticipant {
  /**
   * The latest alarm time Cloudflare accepts: a JavaScript {@code Date} ends 8.64e15 ms after the
   * epoch (year 275760). Later instants, and those whose epoch milliseconds overflow a long, are
   * refused before anything is written.
   */
  static final Instant LATEST = Instant.ofEpochMilli(8_640_000_000_000_000L);
  private static final Instant EARLIEST = Instant.ofEpochMilli(1);

  /** An alarm time (null: none) and the retry count its delivery gets. */
  record State(Instant time, int retryCount) {
    static final State NONE = new State(null, 0);
  }

  private final NamespaceAlarms alarms;
  private final String objectId;
  private final String objectName;
  private final Runnable requireHandler;
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

  ObjectAlarm(NamespaceAlarms alarms, String objectId, String objectName, Runnable requireHandler) {
    this.alarms = alarms;
    this.objectId = objectId;
    this.objectName = objectName;
    this.requireHandler = requireHandler;
    this.committed = alarms.stored(objectId).orElse(State.NONE);
    this.current = committed;
    this.turnStart = committed;
  }

  @Override
  public void rememberTurnStart() {
    turnStart = current;
  }

  @Override
  public void endTurn(boolean keep) {
    if (!keep) {
      current = turnStart;
    }
    turnStart = current;
  }

  @Override
  public boolean hasUncommitted() {
    return timerSpent || !current.equals(committed);
  }

  /**
   * Opens the alarm store and checks the time before any participant commits: once the object's
   * database has committed, only the store's own I/O can still fail.
   */
  @Override
  public void prepareCommit() {
    if (!timerSpent && current.equals(committed)) {
      return;
    }
    if (current.time() != null) {
      checkRange(current.time(), "alarm");
    }
    alarms.materialize(); // so that writing the store can fail only for I/O
  }

  @Override
  public void commit() {
    if (!timerSpent && current.equals(committed)) {
      return;
    }
    alarms.persist(objectId, objectName, current.time(), current.retryCount());
    committed = current;
    timerSpent = false;
  }

  @Override
  public void rollback() {
    current = committed;
    turnStart = committed;
  }

  /** The committed alarm, or null when none is set. */
  State pending() {
    return committed.time() == null ? null : committed;
  }

  boolean isScheduledFor(Instant time) {
    return Objects.equals(committed.time(), time) && Objects.equals(current.time(), time);
  }

  /**
   * A delivery of the alarm set for {@code scheduled} begins: the attempt is recorded first, so a
   * crash mid-handler makes the restarted runtime deliver it again as the next retry. While the
   * handler runs, {@code getAlarm()} is empty unless the handler sets a new one.
   */
  void beginDelivery(Instant scheduled, int retryCount) {
    alarms.beginAttempt(objectId, scheduled, retryCount);
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
    checkRange(time, "setAlarm() time");
    requireHandler.run();
    Instant ms = time.truncatedTo(ChronoUnit.MILLIS);
    current = new State(ms, 0);
    if (delivering) {
      setDuringDelivery = ms;
    }
  }

  /** Refuses a time outside Cloudflare's range, naming it. */
  static void checkRange(Instant time, String what) {
    if (time.isBefore(EARLIEST)) {
      throw new IllegalArgumentException(what + " must be after the Unix epoch, got " + time);
    }
    if (time.isAfter(LATEST)) {
      throw new IllegalArgumentException(what + " must be at most " + LATEST
          + " (the latest time Cloudflare accepts), got " + time);
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
