package dev.durable.agents;

/**
 * The work of a fiber, given to {@link Agent#runFiber} or {@link FiberRecovery#resume}. It runs
 * inside the agent's current event and checkpoints with {@link FiberContext#stash}.
 *
 * @param <T> what the work returns to {@code runFiber}'s caller
 */
@FunctionalInterface
public interface FiberBody<T> {
  /** Does the work; an exception marks the fiber failed and reaches {@code runFiber}'s caller. */
  T run(FiberContext fiber) throws Exception;
}
