package dev.durable.internal.cron;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  private static List<String> firings(String expression, String after, int count) {
    CronSchedule schedule = CronSchedule.parse(expression);
    List<String> times = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < count; i++) {
      t = schedule.next(t);
      times.add(t.toString());
    }
    return times;
  }

  @ParameterizedTest(name = "\"{0}\" after {1} is {2}")
  @CsvSource(delimiter = '|', textBlock = """
      * * * * *          | 2026-01-01T00:00:30Z | 2026-01-01T00:01:00Z
      * * * * *          | 2026-01-01T00:01:00Z | 2026-01-01T00:02:00Z
      */15 * * * *       | 2026-01-01T00:14:59Z | 2026-01-01T00:15:00Z
      */15 * * * *       | 2026-01-01T00:15:00Z | 2026-01-01T00:30:00Z
      5/15 * * * *       | 2026-01-01T00:36:00Z | 2026-01-01T00:50:00Z
      0 0 1 1 *          | 2026-12-31T23:59:00Z | 2027-01-01T00:00:00Z
      0 0 1 1 *          | 2027-01-01T00:00:00Z | 2028-01-01T00:00:00Z
      30 2 31 * *        | 2026-01-31T03:00:00Z | 2026-03-31T02:30:00Z
      0 0 29 2 *         | 2026-03-01T00:00:00Z | 2028-02-29T00:00:00Z
      59 23 * * *        | 2026-02-28T23:59:00Z | 2026-03-01T23:59:00Z
      0 17 * * sun       | 2026-01-01T00:00:00Z | 2026-01-04T17:00:00Z
      0 17 * * 1         | 2026-01-01T00:00:00Z | 2026-01-04T17:00:00Z
      10 7 * * mon-fri   | 2026-01-02T07:10:00Z | 2026-01-05T07:10:00Z
      10 7 * * 2-6       | 2026-01-02T07:10:00Z | 2026-01-05T07:10:00Z
      0 0 * * 7          | 2026-01-01T00:00:00Z | 2026-01-03T00:00:00Z
      0 0 * * L          | 2026-01-01T00:00:00Z | 2026-01-03T00:00:00Z
      0 18 * * 6L        | 2026-01-01T00:00:00Z | 2026-01-30T18:00:00Z
      0 18 * * friL      | 2026-01-30T18:00:00Z | 2026-02-27T18:00:00Z
      59 23 LW * *       | 2026-01-01T00:00:00Z | 2026-01-30T23:59:00Z
      59 23 LW * *       | 2026-05-01T00:00:00Z | 2026-05-29T23:59:00Z
      0 0 L * *          | 2026-02-01T00:00:00Z | 2026-02-28T00:00:00Z
      0 0 L * *          | 2028-02-01T00:00:00Z | 2028-02-29T00:00:00Z
      0 0 L * *          | 2026-12-31T00:00:00Z | 2027-01-31T00:00:00Z
      0 9 15W * *        | 2026-08-01T00:00:00Z | 2026-08-14T09:00:00Z
      0 9 1W * *         | 2026-07-31T00:00:00Z | 2026-08-03T09:00:00Z
      0 0 * * MON#2      | 2026-01-01T00:00:00Z | 2026-01-12T00:00:00Z
      0 0 * * 2#1        | 2026-01-12T00:00:00Z | 2026-02-02T00:00:00Z
      0 0 1 NOV-FEB *    | 2026-03-01T00:00:00Z | 2026-11-01T00:00:00Z
      0 0 1 NOV-FEB *    | 2026-12-01T00:00:00Z | 2027-01-01T00:00:00Z
      0 0 ? * sat        | 2026-01-01T00:00:00Z | 2026-01-03T00:00:00Z
      0 0 * jan,Jul Mon  | 2026-01-31T00:00:00Z | 2026-07-06T00:00:00Z
      """)
  void nextIsTheFirstMatchingMinuteStrictlyAfter(String expression, String after, String expected) {
    assertThat(CronSchedule.parse(expression).next(Instant.parse(after))).isEqualTo(expected);
  }

  @Test
  void bothDayFieldsRestrictedMatchEitherAsInUnixCron() {
    assertThat(firings("0 0 13 * FRI", "2026-01-01T00:00:00Z", 4)).containsExactly(
        "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z");
  }

  @Test
  void aDayFieldStartingWithAStarMustMatchTooAsInUnixCron() {
    assertThat(firings("0 0 */2 * FRI", "2026-01-01T00:00:00Z", 2)).as("odd days that are Fridays")
        .containsExactly("2026-01-09T00:00:00Z", "2026-01-23T00:00:00Z");
  }

  @Test
  void rangesWrapAroundAndStepsApplyToThem() {
    assertThat(firings("0 22-2/2 * * *", "2026-01-01T12:00:00Z", 3)).containsExactly(
        "2026-01-01T22:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T02:00:00Z");
    assertThat(firings("0 0 * * FRI-MON", "2026-01-01T00:00:00Z", 5)).containsExactly(
        "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
        "2026-01-05T00:00:00Z", "2026-01-09T00:00:00Z");
  }

  @Test
  void listsMixValuesRangesAndSteps() {
    assertThat(firings("1,10-12,50/5 3 * * *", "2026-01-01T00:00:00Z", 7)).containsExactly(
        "2026-01-01T03:01:00Z", "2026-01-01T03:10:00Z", "2026-01-01T03:11:00Z",
        "2026-01-01T03:12:00Z", "2026-01-01T03:50:00Z", "2026-01-01T03:55:00Z",
        "2026-01-02T03:01:00Z");
  }

  @Test
  void everyResultMatchesAndNoMinuteInBetweenDoes() {
    for (String expression : List.of("*/7 */5 * * *", "0 12 L * MON", "15 9 1W,LW * *",
        "0 0 * * 3#3,friL", "0 6 1-7 * SUN")) {
      CronSchedule schedule = CronSchedule.parse(expression);
      Instant t = Instant.parse("2026-01-28T05:31:00Z");
      for (int i = 0; i < 5; i++) {
        Instant next = schedule.next(t);
        assertThat(schedule.matches(next)).as("%s fires at %s", expression, next).isTrue();
        for (Instant m = t.plusSeconds(60); m.isBefore(next); m = m.plus(Duration.ofMinutes(1))) {
          assertThat(schedule.matches(m)).as("%s skipped %s on its way to %s", expression, m, next).isFalse();
        }
        t = next;
      }
    }
  }

  @Test
  void theExpressionIsKeptAsWritten() {
    assertThat(CronSchedule.parse("0 17 * * sun").expression()).isEqualTo("0 17 * * sun");
    assertThat(CronSchedule.parse("0 17 * * sun")).isEqualTo(CronSchedule.parse("0 17 * * sun"));
  }

  @ParameterizedTest(name = "\"{0}\" is refused: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      * * * *          | it has 4 fields, expected 5 (minute hour day-of-month month day-of-week; seconds and years are not supported)
      0 * * * * *      | it has 6 fields, expected 5
      60 * * * *       | minute field '60': 60 is out of range 0-59
      * 24 * * *       | hour field '24': 24 is out of range 0-23
      * * 0 * *        | day-of-month field '0': 0 is out of range 1-31
      * * * 13 *       | month field '13': 13 is out of range 1-12
      * * * * 8        | day-of-week field '8': 8 is out of range 1-7
      * * * * 0        | day-of-week field '0': 0 is not a weekday here: Cloudflare numbers weekdays 1-7 with 1 = Sunday and 7 = Saturday
      * * * * FUN      | day-of-week field 'FUN': 'FUN' is neither a number 1-7 nor one of SUN, MON, TUE, WED, THU, FRI, SAT
      * * * JANUARY *  | month field 'JANUARY': 'JANUARY' is neither a number 1-12 nor one of JAN
      */0 * * * *      | minute field '*/0': the step after '/' must be a positive number, got '0'
      1,,2 * * * *     | minute field '1,,2': a list has an empty item
      ? * * * *        | minute field '?': '?' is only allowed in the day-of-month and day-of-week fields
      x * * * *        | minute field 'x': 'x' is not a number 0-59
      0 0 L-3 * *      | day-of-month field 'L-3': 'L-3' is not understood
      0 0 * * MON#6    | day-of-week field 'MON#6': 'MON#6': the week after # must be 1-5
      0 0 30 2 *       | it never fires
      """)
  void invalidExpressionsNameTheFieldAndTheProblem(String expression, String problem) {
    assertThatThrownBy(() -> CronSchedule.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid cron expression \"" + expression + "\": ")
        .hasMessageContaining(problem);
  }

  @Test
  void anEmptyExpressionIsRefused() {
    assertThatThrownBy(() -> CronSchedule.parse("  ")).hasMessage("Invalid cron expression \"  \": it is empty");
  }
}
