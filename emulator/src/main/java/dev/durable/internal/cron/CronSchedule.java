package dev.durable.internal.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cron expression as Cloudflare's Cron Triggers accept it, evaluated in UTC: five fields,
 * {@code minute hour day-of-month month day-of-week}.
 *
 * <ul>
 *   <li>Every field takes {@code *}, lists ({@code 1,15}), ranges ({@code 9-17}, also wrapping
 *       around: {@code NOV-FEB}) and steps ({@code *}{@code /15}, {@code 0-30/10}, {@code 5/15}
 *       meaning 5 to the end every 15).
 *   <li>Months are 1-12 or {@code JAN}-{@code DEC}; weekdays are 1-7 or {@code SUN}-{@code SAT}
 *       with <b>1 = Sunday</b> and 7 = Saturday, as Cloudflare counts (its own example:
 *       {@code 10 7 * * 2-6} is 07:10 on weekdays). 0 is refused with a message saying so, since
 *       Unix cron counts 0-6 from Sunday. Names are case-insensitive.
 *   <li>Day of month: {@code L} (last day), {@code LW} (last weekday), {@code 15W} (the weekday
 *       nearest the 15th, within the month). Day of week: {@code 6L} or {@code friL} (the last
 *       Friday of the month), {@code MON#2} (the second Monday), {@code L} alone (Saturday).
 *       {@code ?} is accepted in either day field and means the same as {@code *}.
 *   <li>As in Unix cron, when both day fields are restricted (neither starts with {@code *} or
 *       {@code ?}) a day matches if <em>either</em> matches: {@code 0 0 1 * MON} fires on the 1st
 *       and on every Monday. Otherwise both must match.
 * </ul>
 *
 * <pre>{@code
 * CronSchedule nightly = CronSchedule.parse("30 2 * * *");
 * Instant next = nightly.next(Instant.parse("2026-01-01T02:30:00Z")); // 2026-01-02T02:30:00Z
 * }</pre>
 */
public final class CronSchedule {
  /** The Gregorian calendar repeats, weekdays included, every 400 years. */
  private static final int DAYS_IN_400_YEARS = 146_097;
  private static final Pattern NEAREST_WEEKDAY = Pattern.compile("(\\d+)W");
  private static final Pattern LAST_OF_WEEKDAY = Pattern.compile("(\\w+)L");
  private static final Pattern NTH_WEEKDAY = Pattern.compile("(\\w+)#(\\d{1,3})");
  private static final List<String> MONTHS = List.of(
      "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private record Field(String label, int min, int max, List<String> names) {
    static final Field MINUTE = new Field("minute", 0, 59, null);
    static final Field HOUR = new Field("hour", 0, 23, null);
    static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, null);
    static final Field MONTH = new Field("month", 1, 12, MONTHS);
    static final Field DAY_OF_WEEK = new Field("day-of-week", 1, 7, WEEKDAYS);

    String range() {
      return min + "-" + max;
    }
  }

  /** The day-of-month field: plain days, {@code L}, {@code LW} and {@code nW}. */
  private record DayOfMonthRule(long days, boolean last, boolean lastWeekday, long nearestWeekdayTo) {
    boolean matches(LocalDate date) {
      int day = date.getDayOfMonth();
      int length = date.lengthOfMonth();
      if (has(days, day) || (last && day == length)) {
        return true;
      }
      if (lastWeekday && day == nearestWeekday(date, length, true)) {
        return true;
      }
      for (long bits = nearestWeekdayTo; bits != 0; bits &= bits - 1) {
        int target = Long.numberOfTrailingZeros(bits);
        if (target <= length && day == nearestWeekday(date, target, false)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The day-of-week field, days numbered 1 (Sunday) to 7: plain days, {@code nL} (the last of
   * the month) and {@code n#k} (bit k of {@code nth[n]}: the k-th of the month).
   */
  private record DayOfWeekRule(long days, long lastOfMonth, int[] nth) {
    boolean matches(LocalDate date) {
      int day = date.getDayOfWeek().getValue() % 7 + 1; // Cloudflare's 1 = Sunday ... 7 = Saturday
      int dayOfMonth = date.getDayOfMonth();
      return has(days, day)
          || (has(lastOfMonth, day) && dayOfMonth + 7 > date.lengthOfMonth())
          || (nth[day] & (1 << ((dayOfMonth - 1) / 7 + 1))) != 0;
    }
  }

  private final String expression;
  private final long minutes;
  private final long hours;
  private final long months;
  private final DayOfMonthRule daysOfMonth;
  private final DayOfWeekRule daysOfWeek;
  private final boolean eitherDayField;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    this.minutes = parseList(Field.MINUTE, f[0]);
    this.hours = parseList(Field.HOUR, f[1]);
    this.daysOfMonth = parseDaysOfMonth(f[2]);
    this.months = parseList(Field.MONTH, f[3]);
    this.daysOfWeek = parseDaysOfWeek(f[4]);
    this.eitherDayField = !isUnrestricted(f[2]) && !isUnrestricted(f[4]);
    if (next(LocalDateTime.of(2000, 1, 1, 0, 0)) == null) {
      throw new IllegalArgumentException("Invalid cron expression \"" + expression
          + "\": it never fires (no day matches both its day and month fields)");
    }
  }

  private DayOfMonthRule parseDaysOfMonth(String text) {
    long days = 0;
    boolean last = false;
    boolean lastWeekday = false;
    long nearest = 0;
    for (String item : items(Field.DAY_OF_MONTH, text)) {
      String upper = item.toUpperCase(Locale.ROOT);
      Matcher w = NEAREST_WEEKDAY.matcher(upper);
      if (upper.equals("L")) {
        last = true;
      } else if (upper.equals("LW")) {
        lastWeekday = true;
      } else if (w.matches()) {
        nearest |= 1L << value(Field.DAY_OF_MONTH, w.group(1), item);
      } else if (upper.startsWith("L") || upper.endsWith("W")) {
        throw invalid(Field.DAY_OF_MONTH, text, "'" + item + "' is not understood; use L (last"
            + " day), LW (last weekday) or a day followed by W (nearest weekday), such as 15W");
      } else {
        days |= parseItem(Field.DAY_OF_MONTH, item);
      }
    }
    return new DayOfMonthRule(days, last, lastWeekday, nearest);
  }

  private DayOfWeekRule parseDaysOfWeek(String text) {
    long days = 0;
    long lastOfMonth = 0;
    int[] nth = new int[8];
    for (String item : items(Field.DAY_OF_WEEK, text)) {
      String upper = item.toUpperCase(Locale.ROOT);
      Matcher last = LAST_OF_WEEKDAY.matcher(upper);
      Matcher nthOf = NTH_WEEKDAY.matcher(upper);
      if (upper.equals("L")) {
        days |= 1L << 7; // Quartz: L alone is the last day of the week, Saturday
      } else if (last.matches()) {
        lastOfMonth |= 1L << value(Field.DAY_OF_WEEK, last.group(1), item);
      } else if (nthOf.matches()) {
        int day = value(Field.DAY_OF_WEEK, nthOf.group(1), item);
        int k = Integer.parseInt(nthOf.group(2));
        if (k < 1 || k > 5) {
          throw invalid(Field.DAY_OF_WEEK, text, "'" + item + "': the week after # must be 1-5");
        }
        nth[day] |= 1 << k;
      } else {
        days |= parseItem(Field.DAY_OF_WEEK, item);
      }
    }
    return new DayOfWeekRule(days, lastOfMonth, nth);
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException naming the expression, the field and what is wrong with it
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("Invalid cron expression \"" + expression + "\": it is empty");
    }
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("Invalid cron expression \"" + expression + "\": it has "
          + fields.length + " field" + (fields.length == 1 ? "" : "s") + ", expected 5 (minute hour"
          + " day-of-month month day-of-week; seconds and years are not supported)");
    }
    return new CronSchedule(expression, fields);
  }

  /** The expression as written (what {@code ScheduledEvent.cron()} reports). */
  public String expression() {
    return expression;
  }

  /** The first whole minute strictly after {@code after} at which the schedule fires, in UTC. */
  public Instant next(Instant after) {
    LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    return next(start).toInstant(ZoneOffset.UTC);
  }

  /** Whether the schedule fires at the minute holding {@code time}. */
  public boolean matches(Instant time) {
    LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
    return has(minutes, t.getMinute()) && has(hours, t.getHour()) && dayMatches(t.toLocalDate());
  }

  @Override
  public String toString() {
    return expression;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule other && other.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  /** The first matching minute at or after {@code start}, or null if none in 400 years. */
  private LocalDateTime next(LocalDateTime start) {
    LocalDate date = start.toLocalDate();
    int fromHour = start.getHour();
    int fromMinute = start.getMinute();
    for (int i = 0; i <= DAYS_IN_400_YEARS; i++) {
      if (dayMatches(date)) {
        for (int h = fromHour; h < 24; h++) {
          if (has(hours, h)) {
            for (int m = h == fromHour ? fromMinute : 0; m < 60; m++) {
              if (has(minutes, m)) {
                return date.atTime(h, m);
              }
            }
          }
        }
      }
      date = date.plusDays(1);
      fromHour = 0;
      fromMinute = 0;
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    if (!has(months, date.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.matches(date);
    boolean dow = daysOfWeek.matches(date);
    return eitherDayField ? dom || dow : dom && dow;
  }

  /**
   * The weekday (Monday-Friday) nearest the given day of the date's month, never leaving the
   * month: the last day of the month moves back, the 1st moves forward.
   */
  private static int nearestWeekday(LocalDate date, int target, boolean backwardOnly) {
    int length = date.lengthOfMonth();
    DayOfWeek dow = date.withDayOfMonth(target).getDayOfWeek();
    if (dow == DayOfWeek.SATURDAY) {
      return target == 1 ? 3 : target - 1;
    }
    if (dow == DayOfWeek.SUNDAY) {
      return backwardOnly || target == length ? target - 2 : target + 1;
    }
    return target;
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  private static boolean isUnrestricted(String field) {
    return field.startsWith("*") || field.startsWith("?");
  }

  private String[] items(Field field, String text) {
    if (text.equals("?")) {
      if (field != Field.DAY_OF_MONTH && field != Field.DAY_OF_WEEK) {
        throw invalid(field, text, "'?' is only allowed in the day-of-month and day-of-week fields");
      }
      return new String[] {"*"};
    }
    String[] items = text.split(",", -1);
    if (List.of(items).contains("")) {
      throw invalid(field, text, "a list has an empty item");
    }
    return items;
  }

  private long parseList(Field field, String text) {
    long bits = 0;
    for (String item : items(field, text)) {
      bits |= parseItem(field, item);
    }
    return bits;
  }

  /** One of {@code *}, {@code a}, {@code a-b}, each optionally followed by {@code /step}. */
  private long parseItem(Field field, String item) {
    String base = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      base = item.substring(0, slash);
      String stepText = item.substring(slash + 1);
      if (!stepText.matches("\\d{1,4}") || Integer.parseInt(stepText) == 0) {
        throw invalid(field, item, "the step after '/' must be a positive number, got '" + stepText + "'");
      }
      step = Integer.parseInt(stepText);
    }
    int from;
    int to;
    if (base.equals("*")) {
      from = field.min();
      to = field.max();
    } else if (base.indexOf('-') > 0) {
      int dash = base.indexOf('-');
      from = value(field, base.substring(0, dash), item);
      to = value(field, base.substring(dash + 1), item);
    } else {
      from = value(field, base, item);
      to = slash >= 0 ? field.max() : from;
    }
    long bits = 0;
    int span = field.max() - field.min() + 1;
    int count = (to - from + span) % span; // a range may wrap around: FRI-MON, 22-2
    for (int i = 0; i <= count; i += step) {
      bits |= 1L << (field.min() + (from - field.min() + i) % span);
    }
    return bits;
  }

  private int value(Field field, String token, String item) {
    if (token.matches("\\d{1,4}")) {
      int n = Integer.parseInt(token);
      if (field == Field.DAY_OF_WEEK && n == 0) {
        throw invalid(field, item, "0 is not a weekday here: Cloudflare numbers weekdays 1-7 with"
            + " 1 = Sunday and 7 = Saturday (not Unix cron's 0-6); write SUN to be unambiguous");
      }
      if (n < field.min() || n > field.max()) {
        throw invalid(field, item, n + " is out of range " + field.range());
      }
      return n;
    }
    if (field.names() != null) {
      int index = field.names().indexOf(token.toUpperCase(Locale.ROOT));
      if (index >= 0) {
        return index + field.min();
      }
      throw invalid(field, item, "'" + token + "' is neither a number " + field.range()
          + " nor one of " + String.join(", ", field.names()));
    }
    throw invalid(field, item, "'" + token + "' is not a number " + field.range());
  }

  private IllegalArgumentException invalid(Field field, String text, String what) {
    return new IllegalArgumentException("Invalid cron expression \"" + expression + "\": "
        + field.label() + " field '" + text + "': " + what);
  }
}
