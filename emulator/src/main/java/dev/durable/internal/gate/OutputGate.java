package dev.durable.internal.gate;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Holds what an object sends to the outside (WebSocket messages and closes) until the writes of
 * the event that sent it are committed, so nobody hears of a state that could still be lost.
 */
public final class OutputGate {
  /** The after-release actions of the output being released on this thread, or null. */
  private static final ThreadLocal<Set<Runnable>> AFTER_RELEASE = new ThreadLocal<>();

  private OutputGate() {}

  /**
   * Runs the action now when the current thread is not inside an object's event; otherwise once
   * the event's writes (and those of earlier events in the same commit) are committed. Actions of
   * one object run in the order they were released.
   */
  public static void release(Runnable action) {
    Events.Event e = Events.current();
    if (e != null && e.gateHeld()) {
      e.turn().holdOutput(action);
    } else {
      action.run();
    }
  }

  /**
   * Runs {@code flush} once all output released together with the current action has been
   * released (the messages of one commit), or now when no output is being released on this
   * thread. An action registered several times in one release runs once. Lets a network end
   * gather the messages of a commit into one write instead of one write per message.
   */
  public static void afterRelease(Runnable flush) {
    Set<Runnable> after = AFTER_RELEASE.get();
    if (after != null) {
      after.add(flush);
    } else {
      flush.run();
    }
  }

  /** Releases output held for a commit: {@code release} runs the actions, then the after-release ones run. */
  public static void releasing(Runnable release) {
    if (AFTER_RELEASE.get() != null) { // released from inside another release: the outer one flushes
      release.run();
      return;
    }
    Set<Runnable> after = new LinkedHashSet<>();
    AFTER_RELEASE.set(after);
    try {
      release.run();
    } finally {
      AFTER_RELEASE.remove();
      for (Runnable flush : after) {
        try {
          flush.run();
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(OutputGate.class).error("Flushing released output failed", e);
        }
      }
    }
  }
}
