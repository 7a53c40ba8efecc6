package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * An interrupted fiber, handed to {@link Agent#onFiberRecovered}: its name, its last committed
 * stash, and {@link #resume} to run the rest of its work under the same id. The body that was
 * running is gone (a lambda cannot be stored); the agent decides from the name and the snapshot
 * what resuming means.
 */
public final class FiberRecovery {
  /**
   * How many times one fiber is recovered at most. A fiber still interrupted after that (it
   * keeps crashing the agent, or {@code onFiberRecovered} keeps throwing) is marked
   * {@link Fiber.State#FAILED} and not recovered again.
   */
  public static final int MAX_RECOVERIES = 5;

  private final Fiber fiber;
  private final Fibers fibers;
  private boolean open = true;
  private boolean resumed;

  FiberRecovery(Fiber fiber, Fibers fibers) {
    this.fiber = fiber;
    this.fibers = fibers;
  }

  /** The fiber's id. */
  public String id() {
    return fiber.id();
  }

  /** The name the fiber was started with. */
  public String name() {
    return fiber.name();
  }

  /** The last stash committed before the interruption, read as a type; empty when there was none. */
  public <T> Optional<T> snapshot(Class<T> type) {
    return fiber.snapshot(type);
  }

  /** The last stash as JSON (a null node when there was none). */
  public JsonNode snapshotJson() {
    return fiber.snapshot();
  }

  /** When the fiber was first started. */
  public Instant createdAt() {
    return fiber.createdAt();
  }

  /** Which recovery this is: 1 the first time the fiber is recovered. */
  public int recoveries() {
    return fiber.recoveries();
  }

  /**
   * Runs {@code body} as the rest of this fiber, now, inside {@code onFiberRecovered}: same id
   * and name, state {@link Fiber.State#RUNNING} again, {@link FiberContext#snapshot} starting at
   * the last stash. It ends like a body given to {@code runFiber}: finished, or failed with its
   * exception rethrown; interrupted again, it is recovered again.
   *
   * @throws IllegalStateException when called a second time, or after {@code onFiberRecovered} returned
   */
  public <T> T resume(FiberBody<T> body) throws Exception {
    if (body == null) {
      throw new IllegalArgumentException("resume() needs a body, got null");
    }
    if (!open || resumed) {
      throw new IllegalStateException("Fiber '" + name() + "' (" + id() + ") can be resumed only once,"
          + " from inside onFiberRecovered");
    }
    resumed = true;
    return fibers.execute(fiber.id(), fiber.name(), fiber.snapshot(), body);
  }

  boolean resumed() {
    return resumed;
  }

  void close() {
    open = false;
  }
}
