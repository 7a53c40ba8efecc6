package dev.durable.internal.runtime;

import dev.durable.internal.storage.ObjectDatabase;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds how many object databases are open at once, so touching thousands of objects does not
 * run out of file descriptors: past the limit, the least recently used idle databases are closed
 * (their instances stay live; storage reopens on next use).
 *
 * <p>Objects used once are closed sooner: when more than {@link #ONCE_USED_LIMIT} databases are
 * open, the database of an object that has had a single event and has been idle for
 * {@link #ONCE_USED_IDLE} is closed, oldest first. A sweep over thousands of objects then keeps a
 * few hundred open instead of the full limit; each open database costs memory and makes SQLite's
 * next open slower (it walks a list of every open file). An object used a second time is left to
 * the least-recently-used rule.
 *
 * <p>Measured in BENCHMARKS.md, "Third session: fresh objects": resident memory after touching
 * 10,000 fresh objects 322 to 229 MB, and SQLite's open no longer slowed by 1,024 open files.
 */
final class OpenDatabases {
  static final int DEFAULT_LIMIT = 1024;
  static final int ONCE_USED_LIMIT = 256;
  static final Duration ONCE_USED_IDLE = Duration.ofMillis(200);

  private final Housekeeping runtime;
  private final Supplier<Collection<ObjectNamespace>> namespaces;
  private final int limit;
  private final int onceUsedLimit;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean trimming = new AtomicBoolean();
  /**
   * Handles whose database opened, in the order it did; may hold closed or busy ones. Those that
   * can no longer be closed by this rule are dropped at each sweep, and a sweep also runs when
   * the queue grows long under the limit, so it never keeps evicted handles alive.
   */
  private final Queue<ObjectHandle> recentlyOpened = new ConcurrentLinkedQueue<>();
  /** About how many handles {@link #recentlyOpened} holds (its size() walks it). */
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean closingOnceUsed = new AtomicBoolean();

  OpenDatabases(Housekeeping runtime, Supplier<Collection<ObjectNamespace>> namespaces, int limit) {
    this.runtime = runtime;
    this.namespaces = namespaces;
    this.limit = limit;
    this.onceUsedLimit = Math.min(ONCE_USED_LIMIT, limit / 2);
  }

  /** The tracker of one object's database. */
  ObjectDatabase.Tracker trackerOf(ObjectHandle handle) {
    return new ObjectDatabase.Tracker() {
      @Override
      public void opened(ObjectDatabase db) {
        OpenDatabases.this.opened(handle, db);
      }

      @Override
      public void closed(ObjectDatabase db) {
        if (db.file() != null) {
          open.decrementAndGet();
        }
      }
    };
  }

  private void opened(ObjectHandle handle, ObjectDatabase db) {
    if (db.file() == null) {
      return;
    }
    int count = open.incrementAndGet();
    if (count > limit && trimming.compareAndSet(false, true)) {
      runtime.background(this::trim);
    }
    recentlyOpened.add(handle);
    int waiting = queued.incrementAndGet();
    if ((count > onceUsedLimit || waiting > 2 * onceUsedLimit) && closingOnceUsed.compareAndSet(false, true)) {
      runtime.background(this::closeOnceUsed);
    }
  }

  int count() {
    return open.get();
  }

  /** Handles waiting to be looked at by the once-used rule. */
  int onceUsedCandidates() {
    return recentlyOpened.size();
  }

  /** Closes the least recently used idle databases until a quarter below the limit. */
  private void trim() {
    int closed = 0;
    try {
      List<ObjectHandle> candidates = namespaces.get().stream().flatMap(ns -> ns.handles().stream())
          .filter(h -> h.database().isOpen())
          .sorted(Comparator.comparingLong(ObjectHandle::lastActiveNanos)).toList();
      int target = limit - limit / 4;
      for (ObjectHandle h : candidates) {
        if (open.get() <= target) {
          break;
        }
        if (h.closeDatabaseIfIdle()) {
          closed++;
        }
      }
    } finally {
      trimming.set(false);
    }
    // Databases opened while this ran found it running and did not start another; when none
    // could be closed (all busy), the next database to open tries again.
    if (closed > 0 && open.get() > limit && trimming.compareAndSet(false, true)) {
      runtime.background(this::trim);
    }
  }

  private void poll() {
    recentlyOpened.poll();
    queued.decrementAndGet();
  }

  /**
   * Closes databases of objects used once and idle long enough, oldest first, while more than
   * the once-used limit are open; comes back when the oldest is not idle long enough yet.
   */
  private void closeOnceUsed() {
    long idleNanos = ONCE_USED_IDLE.toNanos();
    long waitNanos = 0;
    ObjectHandle h;
    while (open.get() > onceUsedLimit && (h = recentlyOpened.peek()) != null) {
      if (!h.database().isOpen() || h.events() > 1) {
        poll();
        continue;
      }
      long idleFor = System.nanoTime() - h.lastActiveNanos();
      if (idleFor < idleNanos) {
        waitNanos = idleNanos - idleFor;
        break;
      }
      poll();
      h.closeDatabaseIfIdle();
    }
    if (waitNanos > 0) {
      runtime.watchdog(Duration.ofNanos(waitNanos), this::closeOnceUsed);
      return;
    }
    // Under the limit the loop closes nothing; what it would skip goes now (a closed database
    // joins again when it reopens).
    recentlyOpened.removeIf(o -> !o.database().isOpen() || o.events() > 1);
    queued.set(recentlyOpened.size());
    closingOnceUsed.set(false);
    // A database that opened just before the flag cleared did not start a sweep.
    if (open.get() > onceUsedLimit && !recentlyOpened.isEmpty() && closingOnceUsed.compareAndSet(false, true)) {
      runtime.background(this::closeOnceUsed);
    }
  }
}
