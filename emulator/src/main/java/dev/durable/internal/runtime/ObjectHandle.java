package dev.durable.internal.runtime;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Durable Object in the runtime: its input gate, its instance (built on demand, dropped on
 * eviction or reset), its database and alarm.
 *
 * <p>The gate is a fair semaphore: events enter in arrival order and one at a time. Each event's
 * writes run inside a savepoint of an open transaction. When an event ends while others are
 * queued, the transaction stays open and the next event joins it (group commit); the last event
 * of such a batch commits, and only then are the batch's callers released (output gate). A
 * failed commit fails every event of the batch and resets the object.
 */
public final class ObjectHandle {
  private static final Logger log = LoggerFactory.getLogger(ObjectHandle.class);
  private static final int MAX_BATCH_TURNS = 64;
  private static final int MAX_ALARM_RETRIES = 6;
  private static final Duration FIRST_ALARM_RETRY = Duration.ofSeconds(2);

  /** Work done inside the gate, given the live instance (null when not asked for). */
  @FunctionalInterface
  public interface GateTask<T> {
    /** Runs with the gate held. */
    T run(DurableObject instance) throws Exception;
  }

  /** Turns whose writes share one open transaction, and the callers waiting on its commit. */
  private static final class Batch {
    final CompletableFuture<Void> committed = new CompletableFuture<>();
    final List<Runnable> output = new ArrayList<>();
    int turns;
  }

  private final ObjectNamespace namespace;
  private final DurableObjectId id;
  private final Semaphore gate = new Semaphore(1, true);
  private final ObjectDatabase db;
  private final ObjectAlarm alarm;
  private final ObjectStorage storage;
  private final ObjectContext context;

  // Guarded by the gate.
  private DurableObject instance;
  private Batch batch;
  private boolean retired;
  private final List<Runnable> turnOutput = new ArrayList<>();

  private volatile String resetReason;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long lastActiveNanos = System.nanoTime();
  private volatile int events;
  private final Set<CompletionStage<?>> pendingWork = ConcurrentHashMap.newKeySet();

  ObjectHandle(ObjectNamespace namespace, DurableObjectId id) {
    this.namespace = namespace;
    this.id = id;
    this.db = new ObjectDatabase(namespace.objectFile(id), id.name().orElse(null),
        namespace.runtime().openDatabases().trackerOf(this), namespace.runtime().fsync(), namespace.spareFiles(),
        !namespace.runtime().shareDatabaseFiles());
    this.db.onFileCreated(namespace.alarms()::materialize);
    this.alarm = new ObjectAlarm(this);
    this.storage = new ObjectStorage(db, this::checkInEvent, alarm);
    this.context = new ObjectContext(this);
  }

  /**
   * The handle of the object a stub talks to, for tools such as the test kit: the current one,
   * so after an eviction it is the handle of the next instance. Fails for stubs not made by a
   * runtime, and for stubs of a runtime that was closed.
   */
  public static ObjectHandle of(DurableObjectStub stub) {
    if (!(stub instanceof ObjectStub s)) {
      throw new IllegalArgumentException("Not a stub made by a Durable Objects runtime: " + stub
          + "; get stubs from env.durableObject(binding)");
    }
    if (s.namespace().runtime().isClosed()) {
      throw new IllegalStateException(stub + " belongs to a runtime that was closed;"
          + " make stubs from the running runtime's env()");
    }
    return s.namespace().handle(s.id());
  }

  /** The object's id. */
  public DurableObjectId id() {
    return id;
  }

  /** The namespace the object belongs to. */
  public ObjectNamespace namespace() {
    return namespace;
  }

  /** Whether an instance is live in memory. */
  public boolean isLive() {
    return instance != null;
  }

  /**
   * The object's storage, as its own events see it. Usable only inside {@link #run}: tools (the
   * explorer, the test kit) read and edit an object through it without building the instance.
   */
  public ObjectStorage storage() {
    return storage;
  }

  /** The object's database (raw SQL for tools). Usable only inside {@link #run}. */
  public ObjectDatabase database() {
    return db;
  }

  ObjectContext context() {
    return context;
  }

  /**
   * The state the object's instance is given ({@code ctx}: id, storage, clock). Like
   * {@link #storage()}, usable only inside {@link #run}.
   */
  public DurableObjectState state() {
    return context;
  }

  ObjectAlarm alarm() {
    return alarm;
  }

  /**
   * Runs a task as one event of this object: waits its turn at the gate, builds the instance if
   * {@code needsInstance}, and returns after the task's writes are committed. An exception from
   * the task is rethrown unchanged after its writes were rolled back.
   */
  public <T> T run(GateTask<T> task, boolean needsInstance) {
    return run(task, needsInstance, true);
  }

  /**
   * Runs a tool's task as one event of this object, like {@code run(task, false)}, but without
   * counting as activity of a live instance: browsing an object (the explorer) never builds its
   * instance nor keeps one in memory longer. The task sees the instance only if it is live.
   */
  public <T> T inspect(GateTask<T> task) {
    return run(task, false, false);
  }

  private <T> T run(GateTask<T> task, boolean needsInstance, boolean activity) {
    if (!Thread.currentThread().isVirtual()) {
      return VirtualThreads.call(() -> run(task, needsInstance, activity));
    }
    inFlight.incrementAndGet();
    // A tool's visit to an object without an instance still keeps its database open a while.
    boolean touch = true;
    try {
      gate.acquireUninterruptibly();
      if (retired) {
        gate.release();
        return namespace.handle(id).run(task, needsInstance, activity);
      }
      touch = activity || instance == null;
      Events.Event event = Events.push(this);
      T result = null;
      Throwable failure = null;
      try {
        alarm.beginTurn();
        result = task.run(needsInstance ? instance() : instance);
      } catch (Throwable t) {
        failure = t;
      }
      Batch pending;
      try {
        pending = event.gateHeld ? endTurn(failure == null) : null;
      } finally {
        Events.pop(event);
      }
      if (pending != null) {
        awaitCommit(pending);
      }
      if (failure != null) {
        throw Sneaky.rethrow(failure);
      }
      return result;
    } finally {
      if (touch) {
        lastActiveNanos = System.nanoTime();
        events++; // racy when events overlap: only "once or more than once" is read
      }
      inFlight.decrementAndGet();
    }
  }

  /** Opens the gate for outgoing I/O: commits everything so far, then lets others in. */
  void suspend(Events.Event event) {
    DurableObjectException failure = null;
    try {
      boolean ended;
      try {
        storage.endTurn(true);
        db.endTurn(true);
        ended = true;
      } catch (RuntimeException e) {
        failure = failTurnAndBatch(e);
        ended = false;
      }
      if (ended) {
        alarm.endTurn(true);
        if (isDirty()) {
          if (batch == null) {
            batch = new Batch();
          }
          batch.output.addAll(turnOutput);
          turnOutput.clear();
          failure = commitBatch();
        } else {
          releaseTurnOutput();
        }
      }
    } finally {
      event.gateHeld = false;
      gate.release();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes the gate again after outgoing I/O; waits behind events that arrived meanwhile. */
  void resume(Events.Event event) {
    gate.acquireUninterruptibly();
    event.gateHeld = true;
    alarm.beginTurn();
  }

  /**
   * Delivers the alarm set for {@code scheduled}, then decides about a retry if it failed. The
   * attempt is recorded in the alarm store before the handler runs, so a crash of the process
   * mid-handler makes the restarted runtime deliver it again as retry {@code retryCount + 1}.
   */
  void deliverAlarm(Instant scheduled, int retryCount) {
    if (retryCount > MAX_ALARM_RETRIES) {
      // Only a crash during the last retry gets here: the attempts are used up.
      run(obj -> {
        if (alarm.isScheduledFor(scheduled)) {
          log.error("Alarm of {} was interrupted or failed {} times; giving up", describe(), retryCount);
          alarm.delete();
        }
        return null;
      }, false);
      return;
    }
    AlarmInfo info = new AlarmInfo(retryCount, retryCount > 0, scheduled);
    Throwable failure = null;
    boolean[] delivered = {false};
    try {
      run(obj -> {
        if (!alarm.isScheduledFor(scheduled)) {
          return null; // replaced or deleted since the timer was set
        }
        delivered[0] = true;
        namespace.alarms().beginAttempt(id.toString(), scheduled, retryCount);
        alarm.beginDelivery();
        obj.alarm(info);
        return null;
      }, true);
    } catch (Throwable t) {
      failure = t;
    }
    Instant replacement = alarm.endDelivery();
    if (failure == null) {
      return;
    }
    Throwable cause = failure;
    run(obj -> {
      if (!delivered[0] && !alarm.isScheduledFor(scheduled)) {
        return null;
      }
      if (replacement != null) {
        alarm.set(replacement);
      } else if (retryCount >= MAX_ALARM_RETRIES) {
        log.error("Alarm of {} failed {} times; giving up", describe(), retryCount + 1, cause);
        alarm.delete();
      } else {
        Instant at = namespace.runtime().clock().instant()
            .plus(FIRST_ALARM_RETRY.multipliedBy(1L << retryCount));
        log.warn("Alarm of {} failed (attempt {}); retrying at {}", describe(), retryCount + 1, at, cause);
        alarm.setRetry(at, retryCount + 1);
      }
      return null;
    }, false);
  }

  /**
   * Fires the pending alarm now, as if it had come due: the handler sees the alarm's scheduled
   * time and retry count, and a failure schedules a retry as usual. Returns false when no alarm
   * is set. Returns once the handler and its commit are done.
   */
  public boolean runAlarmNow() {
    ObjectAlarm.Pending pending = run(obj -> alarm.pending(), false);
    if (pending == null) {
      return false;
    }
    deliverAlarm(pending.time(), pending.retryCount());
    return true;
  }

  /** Keeps the object from eviction until the work completes. */
  void keepAliveUntil(CompletionStage<?> work) {
    pendingWork.add(work);
    work.whenComplete((r, e) -> pendingWork.remove(work));
  }

  /** Asks for the instance to be dropped when the current event ends. */
  void requestReset(String reason) {
    this.resetReason = reason;
  }

  /** Makes the object's next commit fail (fault injection for tests). */
  public void failNextCommit(String reason) {
    run(obj -> {
      db.failNextCommit(reason);
      return null;
    }, false);
  }

  /**
   * Evicts the instance if nothing is running and it has been idle at least {@code minIdle};
   * closes its database (the WAL is checkpointed away). Never waits.
   */
  boolean evictIfIdle(long minIdleNanos) {
    if (inFlight.get() > 0 || !pendingWork.isEmpty()
        || System.nanoTime() - lastActiveNanos < minIdleNanos || !gate.tryAcquire()) {
      return false;
    }
    try {
      if (inFlight.get() > 0 || batch != null) {
        return false;
      }
      evictHoldingGate();
      return true;
    } finally {
      gate.release();
    }
  }

  /** Evicts now, waiting for any running event to finish. */
  public void evict() {
    gate.acquireUninterruptibly();
    try {
      if (batch != null) {
        DurableObjectException failure = commitBatch();
        if (failure != null) {
          throw failure;
        }
      }
      evictHoldingGate();
    } finally {
      gate.release();
    }
  }

  /** Closes the database but keeps the instance, to bound open files. Never waits. */
  boolean closeDatabaseIfIdle() {
    if (inFlight.get() > 0 || !db.isOpen() || db.file() == null || !gate.tryAcquire()) {
      return false;
    }
    try {
      if (inFlight.get() > 0 || batch != null || !db.isOpen()) {
        return false;
      }
      db.close();
      return true;
    } finally {
      gate.release();
    }
  }

  /** Commits what is pending and releases the database for good (the runtime is closing). */
  void shutdown() {
    gate.acquireUninterruptibly();
    try {
      if (batch != null) {
        commitBatch();
      }
      instance = null;
      db.discard();
      retired = true;
    } finally {
      gate.release();
    }
  }

  long lastActiveNanos() {
    return lastActiveNanos;
  }

  /** How many events have run (approximately, when they overlapped). */
  int events() {
    return events;
  }

  boolean isDatabaseOpen() {
    return db.isOpen();
  }

  String describe() {
    return namespace.namespaceId() + "/" + id.name().map(n -> "'" + n + "'").orElse(id.toString());
  }

  private void evictHoldingGate() {
    instance = null;
    if (db.file() != null) {
      db.close();
      retired = true;
      namespace.forget(this);
    }
  }

  private DurableObject instance() {
    if (instance == null) {
      instance = namespace.construct(context);
    }
    return instance;
  }

  private void checkInEvent() {
    Events.Event e = Events.current();
    if (e == null || e.handle != this || !e.gateHeld) {
      throw new IllegalStateException("Storage of " + describe() + " used outside of its own events;"
          + " storage may only be used by the object while it handles an event");
    }
  }

  private boolean isDirty() {
    return db.hasUncommittedBatch() || storage.hasBufferedWrites() || alarm.hasUncommittedChange();
  }

  /** Ends the event holding the gate; returns the batch to wait for, or null. Releases the gate. */
  private Batch endTurn(boolean keep) {
    try {
      String reset = resetReason;
      resetReason = null;
      boolean keepWrites = keep && reset == null;
      try {
        storage.endTurn(keepWrites);
        db.endTurn(keepWrites);
      } catch (RuntimeException e) {
        throw failTurnAndBatch(e);
      }
      alarm.endTurn(keepWrites);
      if (reset != null) {
        log.warn("{} was reset: {}", describe(), reset);
        instance = null;
      }
      if (!isDirty()) {
        releaseTurnOutput();
        return null;
      }
      if (batch == null) {
        batch = new Batch();
      }
      Batch mine = batch;
      mine.turns++;
      mine.output.addAll(turnOutput);
      turnOutput.clear();
      if (!gate.hasQueuedThreads() || mine.turns >= MAX_BATCH_TURNS) {
        commitBatch();
      }
      return mine;
    } finally {
      gate.release();
    }
  }

  /**
   * Ending the turn failed: part of its writes may be in the shared batch, or SQLite itself
   * rolled the transaction back (a full disk, an I/O error), so the whole batch goes and the
   * object is reset. Without this the database would stay out of step with the runtime and
   * every later event of the object would fail.
   */
  private DurableObjectException failTurnAndBatch(RuntimeException cause) {
    alarm.endTurn(false);
    turnOutput.clear();
    if (batch == null) {
      batch = new Batch();
    }
    return failBatch(batch, cause);
  }

  /** Commits the open batch; on failure resets the object. Returns the failure, or null. */
  private DurableObjectException commitBatch() {
    Batch b = batch;
    batch = null;
    try {
      storage.writeBufferedWrites();
      db.commit();
      alarm.commit();
      OutputGate.releasing(() -> b.output.forEach(ObjectHandle::releaseOutput));
      b.committed.complete(null);
      return null;
    } catch (Exception e) {
      return failBatch(b, e);
    }
  }

  /** Rolls the batch back, resets the object and fails every caller waiting on the batch. */
  private DurableObjectException failBatch(Batch b, Exception cause) {
    batch = null;
    db.rollback();
    storage.forgetCache();
    alarm.rollbackBatch();
    instance = null;
    DurableObjectException failure = batchFailure(cause);
    log.error("{}", failure.getMessage());
    b.committed.completeExceptionally(failure);
    return failure;
  }

  /** Holds output of the running event until its writes are committed. Gate held. */
  void holdOutput(Runnable action) {
    turnOutput.add(action);
  }

  private void releaseTurnOutput() {
    if (!turnOutput.isEmpty()) {
      OutputGate.releasing(() -> turnOutput.forEach(ObjectHandle::releaseOutput));
    }
    turnOutput.clear();
  }

  private static void releaseOutput(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.error("Releasing output after a commit failed", e);
    }
  }

  private DurableObjectException batchFailure(Exception cause) {
    return new DurableObjectException("Storage commit of " + describe() + " failed: "
        + cause.getMessage() + "; the object was reset to its last committed state", cause);
  }

  private static void awaitCommit(Batch b) {
    try {
      b.committed.join();
    } catch (CompletionException e) {
      throw (DurableObjectException) e.getCause();
    }
  }
}
