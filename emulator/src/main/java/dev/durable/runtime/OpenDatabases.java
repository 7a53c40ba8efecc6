package dev.durable.runtime;

import dev.durable.storage.ObjectDatabase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many object databases are open at once, so touching thousands of objects does not
 * run out of file descriptors: past the limit, the least recently used idle databases are closed
 * (their instances stay live; storage reopens on next use).
 */
final class OpenDatabases implements ObjectDatabase.Tracker {
  static final int DEFAULT_LIMIT = 1024;

  private final DurableRuntime runtime;
  private final int limit;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean trimming = new AtomicBoolean();

  OpenDatabases(DurableRuntime runtime, int limit) {
    this.runtime = runtime;
    this.limit = limit;
  }

  @Override
  public void opened(ObjectDatabase db) {
    if (db.file() != null && open.incrementAndGet() > limit && trimming.compareAndSet(false, true)) {
      runtime.background(this::trim);
    }
  }

  @Override
  public void closed(ObjectDatabase db) {
    if (db.file() != null) {
      open.decrementAndGet();
    }
  }

  int count() {
    return open.get();
  }

  /** Closes the least recently used idle databases until a quarter below the limit. */
  private void trim() {
    int closed = 0;
    try {
      List<ObjectHandle> candidates = new ArrayList<>();
      for (ObjectNamespace ns : runtime.namespaces()) {
        for (ObjectHandle h : ns.handles()) {
          if (h.isDatabaseOpen()) {
            candidates.add(h);
          }
        }
      }
      candidates.sort(Comparator.comparingLong(ObjectHandle::lastActiveNanos));
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
}
