package dev.durable.agents;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) read in UTC,
 * as the Agents SDK reads a schedule's cron: {@code *}, numbers, ranges {@code 1-5}, steps
 * {@code *}{@code /15} and {@code 10-50/10}, lists {@code 1,15}, month and day names
 * ({@code JAN}, {@code MON}), and day-of-week 0-7 where both 0 and 7 are Sunday. When both
 * day-of-month and day-of-week are restricted, a day matching either runs, as in Unix cron.
 *
 * <pre>{@code
 * CronExpression.parse("0 9 * * MON-FRI").next(now)   // the next weekday at 09:00 UTC
 * }</pre>
 */
public final class CronExpression {
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
      "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** A cron that has not matched within this many years never will (say, February 30th). */
  private static final int SEARCH_YEARS = 8;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronExpression(String text, String[] f) {
    this.text = text;
    this.minutes = field(text, "minute", f[0], 0, 59, List.of(), 0);
    this.hours = field(text, "hour", f[1], 0, 23, List.of(), 0);
    this.daysOfMonth = field(text, "day of month", f[2], 1, 31, List.of(), 0);
    this.months = field(text, "month", f[3], 1, 12, MONTHS, 1);
    BitSet dow = field(text, "day of week", f[4], 0, 7, DAYS, 0);
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
    this.anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
  }

  /**
   * Parses an expression; a clear {@link IllegalArgumentException} names the field that is
   * wrong and what it should be.
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("A cron expression must not be empty; e.g. \"*/5 * * * *\"");
    }
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("Cron expression '" + text + "' has " + fields.length
          + " fields; expected 5: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON\"");
    }
    return new CronExpression(text, fields);
  }

  /** The first whole minute after {@code after} that the expression matches. */
  public Instant next(Instant after) {
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    throw new IllegalArgumentException("Cron expression '" + text + "' matches no time in the "
        + SEARCH_YEARS + " years after " + after);
  }

  @Override
  public String toString() {
    return text;
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (!anyDayOfMonth && !anyDayOfWeek) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String text, String name, String spec, int min, int max, List<String> names,
      int firstName) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(text, name, part.substring(slash + 1), 1, max, List.of(), 0);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        from = number(text, name, range.substring(0, range.indexOf('-')), min, max, names, firstName);
        to = number(text, name, range.substring(range.indexOf('-') + 1), min, max, names, firstName);
        if (to < from) {
          throw new IllegalArgumentException("Cron expression '" + text + "': the " + name + " range '"
              + range + "' ends before it starts");
        }
      } else {
        from = number(text, name, range, min, max, names, firstName);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, String name, String value, int min, int max, List<String> names,
      int firstName) {
    int byName = names.indexOf(value.toUpperCase(Locale.ROOT));
    if (byName >= 0) {
      return byName + firstName;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the field's range
    }
    throw new IllegalArgumentException("Cron expression '" + text + "': the " + name + " '" + value
        + "' is not " + (names.isEmpty() ? "" : "a name or ") + "a number within " + min + ".." + max);
  }
}
