package dev.durable.samples.ratelimit;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket per key (one object per key): it holds up to {@code RATE_LIMIT_PER_MINUTE}
 * tokens (the {@code vars} entry, 10 when absent), refills continuously at that many per minute,
 * and each request takes one or more. Because one object owns a key and handles one call at a
 * time, two requests can never both take the last token.
 *
 * <p>Time comes from {@code ctx.now()}, so the test kit's clock drives the refill. Arithmetic is in
 * whole units of 1/60,000 token (one millisecond of refill at one token per minute), so the bucket
 * never drifts by rounding. Once the bucket is full again it has nothing worth keeping: its alarm,
 * set for that moment, deletes the key's storage, so a million idle keys cost nothing.
 */
public class RateLimiter extends DurableObject implements RateLimiterApi {
  static final int DEFAULT_PER_MINUTE = 10;
  private static final long UNITS_PER_TOKEN = Duration.ofMinutes(1).toMillis();
  private static final String BUCKET = "bucket";

  /** The stored bucket: how many units it held at an instant. */
  record Bucket(long units, Instant at) {}

  private final int perMinute;

  /** Called by the runtime; reads the limit from the vars. */
  public RateLimiter(DurableObjectState ctx, Env env) {
    super(ctx, env);
    this.perMinute = limitFrom(env);
  }

  @Override
  public Decision take(int cost) {
    if (cost < 1 || cost > perMinute) {
      throw new IllegalArgumentException("cost must be within 1.." + perMinute
          + " (the bucket's capacity), got " + cost);
    }
    Instant now = ctx.now();
    long units = unitsAt(now);
    long needed = cost * UNITS_PER_TOKEN;
    if (units < needed) {
      long waitMillis = ceilDiv(needed - units, perMinute);
      return new Decision(false, tokens(units), perMinute, ceilDiv(waitMillis, 1000));
    }
    long left = units - needed;
    ctx.storage().put(BUCKET, new Bucket(left, now));
    ctx.storage().setAlarm(now.plusMillis(ceilDiv(capacity() - left, perMinute)));
    return new Decision(true, tokens(left), perMinute, 0);
  }

  @Override
  public Decision peek() {
    return new Decision(true, tokens(unitsAt(ctx.now())), perMinute, 0);
  }

  /** The bucket is full again: forget the key. */
  @Override
  public void alarm(AlarmInfo info) {
    Instant now = ctx.now();
    long units = unitsAt(now);
    if (units >= capacity()) {
      ctx.storage().deleteAll();
    } else {
      ctx.storage().setAlarm(now.plusMillis(ceilDiv(capacity() - units, perMinute)));
    }
  }

  /** The units in the bucket at {@code now}: what was stored plus the refill since, at most full. */
  private long unitsAt(Instant now) {
    return ctx.storage().get(BUCKET, Bucket.class)
        .map(b -> {
          long elapsed = Math.max(0, Duration.between(b.at(), now).toMillis());
          long refill = elapsed > capacity() / perMinute ? capacity() : elapsed * perMinute;
          return Math.min(capacity(), b.units() + refill);
        })
        .orElse(capacity());
  }

  private long capacity() {
    return perMinute * UNITS_PER_TOKEN;
  }

  private static int tokens(long units) {
    return (int) (units / UNITS_PER_TOKEN);
  }

  private static long ceilDiv(long a, long b) {
    return Math.floorDiv(a + b - 1, b);
  }

  private static int limitFrom(Env env) {
    String raw = env.var("RATE_LIMIT_PER_MINUTE").orElse(null);
    if (raw == null) {
      return DEFAULT_PER_MINUTE;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= 1_000_000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below, with the value
    }
    throw new IllegalStateException("RATE_LIMIT_PER_MINUTE in durable.jsonc's vars must be a whole number"
        + " within 1..1000000, got '" + raw + "'");
  }
}
