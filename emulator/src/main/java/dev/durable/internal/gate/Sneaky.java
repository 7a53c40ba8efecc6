package dev.durable.internal.gate;

/**
 * Rethrows any throwable unchanged, so user exceptions cross the gates, transactions and RPC with
 * their own type.
 */
public final class Sneaky {
  private Sneaky() {}

  /** Throws {@code t} as it is; declared to return so callers can write {@code throw rethrow(t)}. */
  @SuppressWarnings("unchecked")
  public static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
