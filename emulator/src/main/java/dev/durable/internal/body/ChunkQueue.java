package dev.durable.internal.body;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes on their way from a producer to the one reader of a streamed body, bounded: at most
 * {@code capacity} bytes wait. A full queue either makes the producer wait (a response body
 * written by a producer: a slow client slows it down) or, for pushes that must not wait (events an
 * object sends from its handlers), closes the stream: a client that stopped reading is dropped
 * instead of growing memory. Closing the reader's end (the client went away) fails the
 * producer's next write and tells the close listeners.
 */
public final class ChunkQueue {
  /** How the stream ended, for the producer's error. */
  private enum Ending { NONE, FINISHED, CANCELLED, OVERFLOWED, FAILED }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final List<Runnable> closeListeners = new ArrayList<>();
  private final int capacity;
  private int headOffset;
  private long queued;
  private Ending ending = Ending.NONE;
  private Throwable failure;

  /** A queue holding at most {@code capacity} bytes not yet read. */
  public ChunkQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("A stream's buffer must hold at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The most bytes that wait for the reader. */
  public int capacity() {
    return capacity;
  }

  /**
   * Adds bytes (the queue keeps the array: the caller must not change it), waiting while the
   * queue is full. Throws when the stream is closed.
   */
  public void putWaiting(byte[] chunk) throws IOException {
    lock.lock();
    try {
      while (ending == Ending.NONE && queued > 0 && queued + chunk.length > capacity) {
        changed.awaitUninterruptibly();
      }
      if (ending != Ending.NONE) {
        throw closedError();
      }
      add(chunk);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds bytes without waiting. Returns false when the stream is closed; when the bytes would
   * take the queue over its capacity the stream is closed as overflowed, and false returned.
   */
  public boolean offer(byte[] chunk) {
    Runnable notify;
    lock.lock();
    try {
      if (ending != Ending.NONE) {
        return false;
      }
      if (queued + chunk.length <= capacity) {
        add(chunk);
        return true;
      }
      notify = endLocked(Ending.OVERFLOWED, null);
    } finally {
      lock.unlock();
    }
    notify.run();
    return false;
  }

  /** The producer is done: the reader gets what is queued, then the end of the stream. */
  public void finish() {
    end(Ending.FINISHED, null);
  }

  /** The producer failed: the reader gets what is queued, then an error naming the cause. */
  public void fail(Throwable cause) {
    end(Ending.FAILED, cause);
  }

  /** Whether the stream still takes bytes. */
  public boolean isOpen() {
    lock.lock();
    try {
      return ending == Ending.NONE;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code listener} once when the stream ends for any reason (the producer finished or
   * failed, the reader closed, the queue overflowed); at once if it already has.
   */
  public void onClose(Runnable listener) {
    lock.lock();
    try {
      if (ending == Ending.NONE) {
        closeListeners.add(listener);
        return;
      }
    } finally {
      lock.unlock();
    }
    listener.run();
  }

  /** The reader's end. Closing it cancels the stream. */
  public InputStream reader() {
    return new Reader();
  }

  private void add(byte[] chunk) {
    if (chunk.length == 0) {
      return;
    }
    chunks.addLast(chunk);
    queued += chunk.length;
    changed.signalAll();
  }

  private void end(Ending how, Throwable cause) {
    Runnable notify;
    lock.lock();
    try {
      if (ending != Ending.NONE) {
        return;
      }
      notify = endLocked(how, cause);
    } finally {
      lock.unlock();
    }
    notify.run();
  }

  /** Ends the stream (not ended yet); returns what tells the listeners, to run outside the lock. */
  private Runnable endLocked(Ending how, Throwable cause) {
    ending = how;
    failure = cause;
    if (how == Ending.CANCELLED || how == Ending.OVERFLOWED) {
      chunks.clear();
      queued = 0;
    }
    changed.signalAll();
    List<Runnable> listeners = List.copyOf(closeListeners);
    closeListeners.clear();
    return () -> listeners.forEach(Runnable::run);
  }

  private IOException closedError() {
    return switch (ending) {
      case CANCELLED -> new StreamCancelledException("The stream was cancelled: its reader (the client) went away");
      case OVERFLOWED -> new StreamCancelledException("The stream was closed: its reader fell more than "
          + capacity + " bytes behind");
      default -> new StreamCancelledException("The stream is already closed");
    };
  }

  private int read(byte[] into, int off, int len) throws IOException {
    lock.lock();
    try {
      while (chunks.isEmpty() && ending == Ending.NONE) {
        changed.awaitUninterruptibly();
      }
      if (chunks.isEmpty()) {
        if (ending == Ending.FAILED) {
          throw new IOException("The body's producer failed: " + failure, failure);
        }
        return -1;
      }
      int n = 0;
      while (n < len && !chunks.isEmpty()) {
        byte[] head = chunks.peekFirst();
        int take = Math.min(len - n, head.length - headOffset);
        System.arraycopy(head, headOffset, into, off + n, take);
        n += take;
        headOffset += take;
        if (headOffset == head.length) {
          chunks.removeFirst();
          headOffset = 0;
        }
      }
      queued -= n;
      changed.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  private final class Reader extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return ChunkQueue.this.read(b, off, len);
    }

    @Override
    public int available() {
      lock.lock();
      try {
        return (int) Math.min(Integer.MAX_VALUE, queued);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      end(Ending.CANCELLED, null);
    }
  }
}
