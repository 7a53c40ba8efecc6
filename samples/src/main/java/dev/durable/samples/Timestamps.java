package dev.durable.samples;

import dev.durable.DurableObjectState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Time as the samples store and show it: the runtime's clock ({@code ctx.now()}, which the test
 * kit's manual clock drives) to the millisecond, like JavaScript's {@code Date.now()}, so that
 * {@code 2026-01-01T00:00:00.123Z} is what clients see rather than nine digits of nanoseconds.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The runtime's current time, truncated to the millisecond. */
  public static Instant now(DurableObjectState ctx) {
    return ctx.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
