package dev.durable.internal.body;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The heap that request bodies read whole ({@code body()}, {@code text()}, {@code json()}) may
 * take together. A body reserves its size before its array is made and gives it back when its
 * exchange ends; a body that does not fit waits for others to finish instead of running the heap
 * out of memory, and one larger than the whole budget is refused with a clear error. Streamed
 * reads ({@code bodyStream()}) take nothing from it.
 */
public final class BodyMemory {
  /** What the rest of a dev server needs besides bodies (Jetty, SQLite pages, objects). */
  private static final long HEADROOM = 64L * 1024 * 1024;

  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition released = lock.newCondition();
  private final long capacity;
  private long available;

  /** A budget of {@code capacity} bytes. */
  public BodyMemory(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Body memory must be at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
    this.available = capacity;
  }

  /**
   * A budget sized from this JVM's heap: all of it but 64 MB of headroom, and at least half of
   * it. With the launcher's 192 MB heap that is about 120 MB: a 100 MB body fits.
   */
  public static BodyMemory ofHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    return new BodyMemory(Math.max(heap - HEADROOM, heap / 2));
  }

  /** The bytes all bodies read whole may hold at once. */
  public long capacity() {
    return capacity;
  }

  /** An empty reservation, grown with {@link Reservation#growTo}. */
  public Reservation reservation() {
    return new Reservation();
  }

  /**
   * Bytes reserved for one body; {@link #close()} gives back what is still held (from any
   * thread: the exchange may end while the body is still being read).
   */
  public final class Reservation implements AutoCloseable {
    private long held;

    private Reservation() {}

    /**
     * Makes the reservation {@code bytes} large, waiting until other bodies give back enough;
     * {@code what} names the body in the error when it could never fit. Never waits while holding
     * part of the budget (two bodies growing could wait on each other forever): when the rest is
     * not free, what is held goes back first, then the whole amount is waited for.
     */
    public void growTo(long bytes, String what) throws BodyTooLargeException {
      if (bytes > capacity) {
        throw new BodyTooLargeException(what + " is larger than the " + capacity + " bytes this JVM's"
            + " heap has for bodies read whole; read it with bodyStream(), or give the JVM a larger"
            + " heap (-Xmx, DURABLE_JAVA_OPTS for the launcher)");
      }
      lock.lock();
      try {
        if (bytes <= held) {
          return;
        }
        if (available < bytes - held) {
          available += held;
          held = 0;
          released.signalAll();
          while (available < bytes) {
            released.awaitUninterruptibly();
          }
        }
        available -= bytes - held;
        held = bytes;
      } finally {
        lock.unlock();
      }
    }

    /** Keeps only {@code bytes} of the reservation (the body turned out smaller). */
    public void shrinkTo(long bytes) {
      lock.lock();
      try {
        if (bytes < held) {
          available += held - bytes;
          held = bytes;
          released.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      shrinkTo(0);
    }
  }
}
