package dev.durable;

import java.time.Instant;

/**
 * What the runtime tells {@link DurableObject#alarm(AlarmInfo)} about the delivery.
 *
 * @param retryCount how many earlier attempts of this alarm failed (0 on the first try)
 * @param isRetry whether this is a retry ({@code retryCount > 0})
 * @param scheduledTime the instant this delivery was due (for a retry, the retry's time)
 */
public record AlarmInfo(int retryCount, boolean isRetry, Instant scheduledTime) {}
