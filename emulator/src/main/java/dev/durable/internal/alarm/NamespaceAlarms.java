package dev.durable.internal.alarm;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of one namespace: its store in {@code metadata.sqlite} and its objects' timers in the
 * runtime's scheduler. Objects write committed alarm changes through it.
 */
public final class NamespaceAlarms implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NamespaceAlarms.class);
  private final String namespaceId;
  private final AlarmStore store;
  private final AlarmScheduler scheduler;
  private final boolean fsync;
  /** Runs before an alarm is written: a facets' store lists its owner in its parent's first. */
  private final Runnable beforeAlarmWrite;

  /** The alarms of {@code namespaceId}, stored under {@code directory} (null: in memory). */
  public NamespaceAlarms(String namespaceId, Path directory, boolean fsync, AlarmScheduler scheduler) {
    this(namespaceId, directory, fsync, scheduler, () -> {});
  }

  private NamespaceAlarms(String namespaceId, Path directory, boolean fsync, AlarmScheduler scheduler,
      Runnable beforeAlarmWrite) {
    this.namespaceId = namespaceId;
    this.store = new AlarmStore(directory, fsync);
    this.scheduler = scheduler;
    this.fsync = fsync;
    this.beforeAlarmWrite = beforeAlarmWrite;
  }

  /**
   * The alarms of one object's facets of one class, known to the scheduler as {@code key} and
   * stored under {@code directory}. Before their first alarm is written, this namespace's store
   * lists {@code ownerId} (see {@link #facetOwners}).
   */
  public NamespaceAlarms forFacets(String key, String ownerId, Path directory) {
    return new NamespaceAlarms(key, directory, fsync, scheduler, () -> store.addFacetOwner(ownerId));
  }

  /**
   * The objects whose facets may hold an alarm, so start-up reads only their stores; empty when
   * this store predates the list and every object's facets must be read.
   */
  public Optional<Set<String>> facetOwners() {
    return store.facetOwners();
  }

  /**
   * Makes the list of objects whose facets hold an alarm exact, after start-up read them. Call it
   * before any alarm is scheduled, so no facet sets its first alarm meanwhile.
   */
  public void replaceFacetOwners(Set<String> owners) {
    store.replaceFacetOwners(owners);
  }

  /** Whether no alarm is stored (one left unscheduled for its bad time still counts). */
  public boolean isEmpty() {
    return store.all().isEmpty();
  }

  /** The alarm of one object, as its events see it. */
  public ObjectAlarm forObject(String objectId, String objectName, Runnable requireHandler) {
    return new ObjectAlarm(this, objectId, objectName, requireHandler);
  }

  /**
   * Schedules every stored alarm; those already due fire at once. A row no version of this
   * emulator could have committed (a time outside Cloudflare's range, written by an older one) is
   * reported and left unscheduled: the rest of the namespace starts, and the object can still read
   * or delete the alarm.
   */
  public void scheduleStored() {
    for (AlarmStore.StoredAlarm a : store.all()) {
      try {
        ObjectAlarm.checkRange(a.scheduledTime(), "the stored alarm time");
      } catch (IllegalArgumentException e) {
        log.warn("Not scheduling the alarm of {} in {}: {}; deleteAlarm() removes it",
            a.objectName() != null ? "name:" + a.objectName() : a.objectId(), namespaceId, e.getMessage());
        continue;
      }
      scheduler.schedule(namespaceId, a.objectId(), a.scheduledTime(), store.retryCount(a.objectId()));
    }
  }

  /** The name of the object whose alarm is stored under {@code objectId}, if it has one. */
  public Optional<String> objectName(String objectId) {
    return store.get(objectId).map(AlarmStore.StoredAlarm::objectName);
  }

  /** Makes the store's file (at the namespace's first object on disk, or before a commit). */
  public void materialize() {
    store.materialize();
  }

  /** The committed alarm and retry count of an object, read when its handle is made. */
  Optional<ObjectAlarm.State> stored(String objectId) {
    return store.get(objectId)
        .map(a -> new ObjectAlarm.State(a.scheduledTime(), store.retryCount(objectId)));
  }

  /** Writes a committed alarm change to the store and the scheduler. */
  void persist(String objectId, String objectName, Instant time, int retryCount) {
    if (time == null) {
      store.delete(objectId);
      scheduler.cancel(namespaceId, objectId);
    } else {
      beforeAlarmWrite.run();
      store.set(objectId, time, objectName, retryCount);
      scheduler.schedule(namespaceId, objectId, time, retryCount);
    }
  }

  /** Records a delivery attempt before the handler runs, so a crash counts as a failed attempt. */
  void beginAttempt(String objectId, Instant scheduled, int retryCount) {
    store.beginAttempt(objectId, scheduled, retryCount);
  }

  @Override
  public void close() {
    store.close();
  }
}
