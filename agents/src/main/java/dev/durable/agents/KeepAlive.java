package dev.durable.agents;

/**
 * A hold on an agent that keeps it in memory (not evicted for idleness) until closed; from
 * {@link Agent#keepAlive()}. Closing it twice is harmless.
 */
@FunctionalInterface
public interface KeepAlive extends AutoCloseable {
  /** Lets the agent be evicted again once nothing else keeps it. */
  @Override
  void close();
}
