package dev.durable.internal.runtime;

import dev.durable.DurableObjectException;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectState;
import dev.durable.internal.alarm.AlarmDelivery;
import dev.durable.internal.alarm.ObjectAlarm;
import dev.durable.internal.gate.EventRunner;
import dev.durable.internal.gate.Events;
import dev.durable.internal.gate.Sneaky;
import dev.durable.internal.gate.Turn;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Durable Object in the runtime: its input gate and its instance (built on demand, dropped on
 * eviction or reset). Its storage, database and alarm take part in each event's turn through
 * {@link GroupCommit}, which also holds its output until the writes are committed.
 *
 * <p>The gate is a fair semaphore: events enter in arrival order and one at a time. Each event's
 * writes run inside a savepoint of an open transaction; see {@link GroupCommit} for how turns
 * share a commit.
 */
public final class ObjectHandle implements Turn, EventRunner {
  private static final Logger log = LoggerFactory.getLogger(ObjectHandle.class);

  private final ObjectNamespace namespace;
  private final DurableObjectId id;
  private final Semaphore gate = new Semaphore(1, true);
  private final ObjectDatabase db;
  private final ObjectAlarm alarm;
  private final AlarmDelivery alarmDelivery;
  private final ObjectStorage storage;
  private final ObjectContext context;
  private final GroupCommit commits;
  private final ObjectInstance instance;

  // Guarded by the gate.
  private boolean retired;

  private volatile String resetReason;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long lastActiveNanos = System.nanoTime();
  private volatile int events;
  private final Set<CompletionStage<?>> pendingWork = ConcurrentHashMap.newKeySet();

  ObjectHandle(ObjectNamespace namespace, DurableObjectId id, ObjectServices services) {
    this.namespace = namespace;
    this.id = id;
    this.db = new ObjectDatabase(namespace.objectFile(id), id.name().orElse(null),
        services.openDatabases().trackerOf(this), services.fsync(), namespace.spareFiles(),
        !services.shareDatabaseFiles());
    this.db.onFileCreated(namespace.alarms()::materialize);
    this.db.limitStatements(services.sqlTimeLimit());
    this.alarm = namespace.alarms().forObject(id.toString(), id.name().orElse(null),
        namespace::requireAlarmHandler);
    this.alarmDelivery = new AlarmDelivery(alarm, this, services.clock());
    this.storage = new ObjectStorage(db, this::checkInEvent, alarm);
    this.context = new ObjectContext(this, services);
    this.instance = new ObjectInstance(() -> namespace.construct(context));
    this.commits = new GroupCommit(storage, db, alarm, this::describe, instance::drop);
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
    return instance.isLive();
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

  /** The object's alarm as its events see it (tools read a storage-less object with it). */
  ObjectAlarm alarm() {
    return alarm;
  }

  /**
   * The state the object's instance is given ({@code ctx}: id, storage, clock). Like
   * {@link #storage()}, usable only inside {@link #run}.
   */
  public DurableObjectState state() {
    return context;
  }

  /**
   * Runs a task as one event of this object: waits its turn at the gate, builds the instance if
   * {@code needsInstance}, and returns after the task's writes are committed. An exception from
   * the task is rethrown unchanged after its writes were rolled back.
   */
  @Override
  public <T> T run(EventRunner.Task<T> task, boolean needsInstance) {
    return run(task, needsInstance, true);
  }

  /**
   * Runs a tool's task as one event of this object, like {@code run(task, false)}, but without
   * counting as activity of a live instance: browsing an object (the explorer) never builds its
   * instance nor keeps one in memory longer. The task sees the instance only if it is live.
   */
  public <T> T inspect(EventRunner.Task<T> task) {
    return run(task, false, false);
  }

  private <T> T run(EventRunner.Task<T> task, boolean needsInstance, boolean activity) {
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
      touch = activity || !instance.isLive();
      Events.Event event = Events.push(this);
      T result = null;
      Throwable failure = null;
      try {
        commits.beginTurn();
        result = task.run(needsInstance ? instance.get() : instance.ifLive());
      } catch (Throwable t) {
        failure = t;
      }
      GroupCommit.Batch pending;
      try {
        pending = event.gateHeld() ? endTurn(failure == null) : null;
      } finally {
        Events.pop(event);
      }
      if (pending != null) {
        pending.awaitCommit();
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
  @Override
  public void suspend(Events.Event event) {
    try {
      commits.commitBeforeSuspend();
      instance.suspended(event);
    } finally {
      event.gateHeld(false);
      gate.release();
    }
  }

  /**
   * Closes the gate again after outgoing I/O; waits behind events that arrived meanwhile. Fails
   * when the instance was evicted or reset meanwhile: the event's instance is gone.
   */
  @Override
  public void resume(Events.Event event) {
    gate.acquireUninterruptibly();
    if (!instance.resumedInSameIncarnation(event)) {
      gate.release();
      throw new DurableObjectException(describe() + " was evicted or reset while this event waited on"
          + " outgoing I/O; the event ends here, as its instance is gone");
    }
    event.gateHeld(true);
    commits.beginTurn();
  }

  @Override
  public void holdOutput(Runnable action) {
    commits.holdOutput(action);
  }

  /** Delivers the object's alarm when due, or now ({@link AlarmDelivery#runNow()}). */
  AlarmDelivery alarmDelivery() {
    return alarmDelivery;
  }

  /** Keeps the object from eviction until the work completes. */
  @Override
  public void keepAliveUntil(CompletionStage<?> work) {
    pendingWork.add(work);
    work.whenComplete((r, e) -> pendingWork.remove(work));
  }

  /** Asks for the instance to be dropped when the current event ends. */
  void requestReset(String reason) {
    this.resetReason = reason;
  }

  /**
   * Evicts the instance if nothing is running and it has been idle at least {@code minIdle};
   * closes its database (the WAL is checkpointed away). Never waits.
   */
  boolean evictIfIdle(long minIdleNanos) {
    return ifIdle(pendingWork.isEmpty() && System.nanoTime() - lastActiveNanos >= minIdleNanos,
        this::evictHoldingGate);
  }

  /**
   * Evicts now, waiting for a running event to finish; an event waiting on outgoing I/O fails
   * when the I/O returns (see {@link #resume}).
   */
  public void evict() {
    gate.acquireUninterruptibly();
    try {
      DurableObjectException failure = commits.commit();
      if (failure != null) {
        throw failure;
      }
      evictHoldingGate();
    } finally {
      gate.release();
    }
  }

  /** Closes the database but keeps the instance, to bound open files. Never waits. */
  boolean closeDatabaseIfIdle() {
    return db.isOpen() && db.file() != null && ifIdle(true, db::close);
  }

  /** Runs the action holding the gate if no event runs or waits for its commit. Never waits. */
  private boolean ifIdle(boolean precondition, Runnable action) {
    if (!precondition || inFlight.get() > 0 || !gate.tryAcquire()) {
      return false;
    }
    try {
      if (inFlight.get() > 0 || commits.hasOpenBatch()) {
        return false;
      }
      action.run();
      return true;
    } finally {
      gate.release();
    }
  }

  /**
   * Commits what is pending, drops the instance and closes the database for good (the runtime
   * is closing); with {@code deleteFiles}, deletes its files too (a facet deleted with its parent).
   */
  void retire(boolean deleteFiles) {
    gate.acquireUninterruptibly();
    try {
      commits.commit();
      instance.drop();
      db.discard();
      retired = true;
      if (deleteFiles) {
        db.deleteFiles();
        namespace.forget(this);
      }
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

  @Override
  public String describe() {
    return namespace.label() + "/" + id.name().map(n -> "'" + n + "'").orElse(id.toString());
  }

  private void evictHoldingGate() {
    instance.drop();
    if (db.file() != null) {
      db.close();
      retired = true;
      namespace.forget(this);
    }
  }

  private void checkInEvent() {
    Events.Event e = Events.current();
    if (e == null || !e.belongsTo(this) || !e.gateHeld()) {
      throw new IllegalStateException("Storage of " + describe() + " used outside of its own events;"
          + " storage may only be used by the object while it handles an event");
    }
  }

  /** Ends the event holding the gate; returns the batch to wait for, or null. Releases the gate. */
  private GroupCommit.Batch endTurn(boolean keep) {
    try {
      String reset = resetReason;
      resetReason = null;
      GroupCommit.Batch batch = commits.endTurn(keep && reset == null, gate.hasQueuedThreads());
      if (reset != null) {
        log.warn("{} was reset: {}", describe(), reset);
        instance.drop();
      }
      return batch;
    } finally {
      gate.release();
    }
  }
}
