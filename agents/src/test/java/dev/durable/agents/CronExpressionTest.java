package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final Instant NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z"); // a Thursday

  private static Instant next(String cron, Instant after) {
    return CronExpression.parse(cron).next(after);
  }

  @Test
  void theNextTimeIsTheFirstMatchingMinuteStrictlyAfter() {
    assertThat(next("* * * * *", NEW_YEAR)).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(next("*/15 * * * *", Instant.parse("2026-01-01T00:15:00Z"))).isEqualTo("2026-01-01T00:30:00Z");
    assertThat(next("30 9 * * *", NEW_YEAR)).isEqualTo("2026-01-01T09:30:00Z");
    assertThat(next("0 0 1 * *", NEW_YEAR)).isEqualTo("2026-02-01T00:00:00Z");
  }

  @Test
  void namesRangesListsAndStepsAreRead() {
    assertThat(next("0 9 * * MON-FRI", Instant.parse("2026-01-02T10:00:00Z"))).isEqualTo("2026-01-05T09:00:00Z");
    assertThat(next("0 0 * FEB,dec *", NEW_YEAR)).isEqualTo("2026-02-01T00:00:00Z");
    assertThat(next("10-50/20 * * * *", NEW_YEAR)).isEqualTo("2026-01-01T00:10:00Z");
  }

  @Test
  void sundayIsBothZeroAndSeven() {
    assertThat(next("0 0 * * 0", NEW_YEAR)).isEqualTo("2026-01-04T00:00:00Z");
    assertThat(next("0 0 * * 7", NEW_YEAR)).isEqualTo("2026-01-04T00:00:00Z");
  }

  @Test
  void aRestrictedDayOfMonthAndDayOfWeekMatchEitherAsInUnixCron() {
    assertThat(next("0 0 13 * FRI", NEW_YEAR)).isEqualTo("2026-01-02T00:00:00Z");
  }

  @Test
  void badExpressionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("has 4 fields; expected 5");
    assertThatThrownBy(() -> CronExpression.parse("* 24 * * *")).hasMessageContaining("the hour '24'");
    assertThatThrownBy(() -> CronExpression.parse("* * * * FUNDAY")).hasMessageContaining("the day of week 'FUNDAY'");
    assertThatThrownBy(() -> CronExpression.parse("5-1 * * * *")).hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *").next(NEW_YEAR)).hasMessageContaining("matches no time");
  }
}
