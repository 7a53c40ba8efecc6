package dev.durable.samples.ratelimit;

/** What the worker calls on a {@link RateLimiter} through a typed stub. */
public interface RateLimiterApi {
  /**
   * Takes {@code cost} tokens if the bucket holds that many.
   *
   * @throws IllegalArgumentException when {@code cost} is below 1 or above the bucket's capacity
   */
  Decision take(int cost);

  /** What the bucket holds now, without taking anything. */
  Decision peek();

  /**
   * The outcome of a {@link #take} (or the state seen by a {@link #peek}).
   *
   * @param allowed whether the tokens were taken
   * @param remaining whole tokens left in the bucket
   * @param limit the bucket's capacity: requests per minute
   * @param retryAfterSeconds when refused, how long until enough tokens are back (0 when allowed)
   */
  record Decision(boolean allowed, int remaining, int limit, long retryAfterSeconds) {}
}
