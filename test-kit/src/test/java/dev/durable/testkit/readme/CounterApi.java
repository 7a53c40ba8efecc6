package dev.durable.testkit.readme;

/** The README's counter, as RPC. */
public interface CounterApi {
  /** Adds to the count and returns it. */
  long increment(long by);
}
