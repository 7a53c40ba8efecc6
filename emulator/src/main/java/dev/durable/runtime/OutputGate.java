package dev.durable.runtime;

/**
 * Holds what an object sends to the outside (WebSocket messages and closes) until the writes of
 * the event that sent it are committed, so nobody hears of a state that could still be lost.
 */
public final class OutputGate {
  private OutputGate() {}

  /**
   * Runs the action now when the current thread is not inside an object's event; otherwise once
   * the event's writes (and those of earlier events in the same commit) are committed. Actions of
   * one object run in the order they were released.
   */
  public static void release(Runnable action) {
    Events.Event e = Events.current();
    if (e != null && e.gateHeld) {
      e.handle.holdOutput(action);
    } else {
      action.run();
    }
  }
}
