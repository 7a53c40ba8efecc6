package dev.durable.internal.runtime;

import dev.durable.DurableObjectException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;

/**
 * Which objects' events the current thread is running, innermost last. A thread runs an event of
 * object B inside an event of A when A calls B through a stub; A's gate is open meanwhile.
 */
final class Events {
  /** One event in progress on this thread. */
  static final class Event {
    final ObjectHandle handle;
    boolean gateHeld = true;
    int blockDepth;

    Event(ObjectHandle handle) {
      this.handle = handle;
    }
  }

  private static final ThreadLocal<ArrayDeque<Event>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private Events() {}

  static Event push(ObjectHandle handle) {
    Event e = new Event(handle);
    STACK.get().push(e);
    return e;
  }

  static void pop(Event e) {
    ArrayDeque<Event> stack = STACK.get();
    if (stack.peek() != e) {
      throw new IllegalStateException("event stack out of order");
    }
    stack.pop();
  }

  /** The innermost event on this thread, or null outside any object. */
  static Event current() {
    return STACK.get().peek();
  }

  /**
   * Runs outgoing I/O with the current object's input gate open, so other events may run
   * meanwhile (A→B→A completes). Before the gate opens, the object's writes are committed: the
   * output gate. Inside {@code blockConcurrencyWhile} the gate stays shut.
   */
  static <T> T withGateOpen(Callable<T> io) {
    Event e = current();
    if (e == null || e.blockDepth > 0 || !e.gateHeld) {
      return call(io);
    }
    e.handle.suspend(e);
    try {
      return call(io);
    } finally {
      e.handle.resume(e);
    }
  }

  private static <T> T call(Callable<T> io) {
    try {
      return io.call();
    } catch (RuntimeException | Error ex) {
      throw ex;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new DurableObjectException("Interrupted while waiting on outgoing I/O", ex);
    } catch (Exception ex) {
      throw new DurableObjectException(ex.getMessage(), ex);
    }
  }
}
