package dev.durable.internal.gate;

import dev.durable.DurableObjectException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;

/**
 * Which objects' events the current thread is running, innermost last. A thread runs an event of
 * object B inside an event of A when A calls B through a stub; A's gate is open meanwhile.
 */
public final class Events {
  /** One event in progress on this thread. */
  public static final class Event {
    private final Turn turn;
    private boolean gateHeld = true;
    private int blockDepth;

    private Event(Turn turn) {
      this.turn = turn;
    }

    Turn turn() {
      return turn;
    }

    /** Whether this event is one of the object {@code turn} stands for. */
    public boolean belongsTo(Turn turn) {
      return this.turn == turn;
    }

    /** Whether the event holds its object's input gate (false while outgoing I/O runs). */
    public boolean gateHeld() {
      return gateHeld;
    }

    /** Records that the gate was opened (false) or closed again (true). */
    public void gateHeld(boolean held) {
      gateHeld = held;
    }

    /**
     * Runs work inside {@code blockConcurrencyWhile}: the gate stays shut across its outgoing
     * I/O.
     */
    public <T> T blocking(Callable<T> work) throws Exception {
      blockDepth++;
      try {
        return work.call();
      } finally {
        blockDepth--;
      }
    }
  }

  private static final ThreadLocal<ArrayDeque<Event>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private Events() {}

  /** Records that this thread begins an event of the object {@code turn} stands for. */
  public static Event push(Turn turn) {
    Event e = new Event(turn);
    STACK.get().push(e);
    return e;
  }

  /** Records that the event ended; events end innermost first. */
  public static void pop(Event e) {
    ArrayDeque<Event> stack = STACK.get();
    if (stack.peek() != e) {
      throw new IllegalStateException("event stack out of order");
    }
    stack.pop();
  }

  /** The innermost event on this thread, or null outside any object. */
  public static Event current() {
    return STACK.get().peek();
  }

  /** The object whose event the current thread runs (the innermost), or null outside any object. */
  public static Turn currentTurn() {
    Event e = current();
    return e == null ? null : e.turn;
  }

  /**
   * Runs outgoing I/O with the current object's input gate open, so other events may run
   * meanwhile (A→B→A completes). Before the gate opens, the object's writes are committed: the
   * output gate. Inside {@code blockConcurrencyWhile} the gate stays shut.
   */
  public static <T> T withGateOpen(Callable<T> io) {
    Event e = current();
    if (e == null || e.blockDepth > 0 || !e.gateHeld) {
      return call(io);
    }
    e.turn.suspend(e);
    try {
      return call(io);
    } finally {
      e.turn.resume(e);
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
