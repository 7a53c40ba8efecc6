package dev.durable.samples.counter;

/** What other objects and the worker can call on a {@link Counter} through a typed stub. */
public interface CounterApi {
  /** Adds {@code by} and returns the new value. */
  long increment(long by);

  /** The current value (0 for a counter never incremented). */
  long value();
}
