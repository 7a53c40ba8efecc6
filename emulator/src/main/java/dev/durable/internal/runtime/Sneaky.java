package dev.durable.internal.runtime;

/** Rethrows any throwable unchanged, so user exceptions cross the runtime with their own type. */
final class Sneaky {
  private Sneaky() {}

  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
