package dev.durable;

import java.time.Instant;

/**
 * A cron trigger delivered to {@link Worker#scheduled}.
 *
 * @param scheduledTime the instant the trigger was due
 * @param cron the cron expression that fired, as written in the configuration
 */
public record ScheduledEvent(Instant scheduledTime, String cron) {}
