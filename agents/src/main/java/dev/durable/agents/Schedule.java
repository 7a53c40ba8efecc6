package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One schedule of an agent: which method to call, with what payload, and when. The fields are
 * those of Cloudflare's Agents SDK; which of {@code delayInSeconds}, {@code cron} and
 * {@code intervalSeconds} is set depends on the type, the others are null.
 *
 * @param id the schedule's id, for {@link Agent#cancelSchedule}
 * @param callback the name of the agent's method it calls
 * @param payload the JSON payload passed to the method (null node when none)
 * @param type how it was made
 * @param time when it runs next (whole seconds, as the SDK stores it)
 * @param delayInSeconds for {@link Type#DELAYED}: the delay it was made with
 * @param cron for {@link Type#CRON}: the cron expression, in UTC
 * @param intervalSeconds for {@link Type#INTERVAL}: the seconds between runs
 */
public record Schedule(String id, String callback, JsonNode payload, Type type, Instant time,
    Long delayInSeconds, String cron, Long intervalSeconds) {

  /** How a schedule was made, and so whether it repeats. */
  public enum Type {
    /** Once, at an instant: {@code schedule(Instant, ...)}. */
    SCHEDULED,
    /** Once, after a delay: {@code schedule(Duration, ...)}. */
    DELAYED,
    /** At every time a cron expression matches: {@code schedule(String, ...)}. */
    CRON,
    /** Every fixed interval: {@code scheduleEvery(Duration, ...)}. */
    INTERVAL;

    /** The type's name in the {@code cf_agents_schedules} table, e.g. {@code delayed}. */
    public String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Type fromColumn(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Whether it runs again after it ran. */
  public boolean repeats() {
    return type == Type.CRON || type == Type.INTERVAL;
  }
}
