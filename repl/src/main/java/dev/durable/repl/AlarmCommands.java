package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The object's alarm: {@code alarm}, {@code alarm set}, {@code alarm delete}, {@code alarm run}. */
final class AlarmCommands {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private AlarmCommands() {}

  static List<Command> commands() {
    return List.of(new Command("alarm", "[set <when>|delete|run]",
        "Show, set, delete or run the alarm",
        """
        alarm                    shows the alarm of the object in use
        alarm set <when>         sets (or replaces) it: an ISO-8601 instant or a duration
                                 from now: +30s, +5m, +1h30m, +2d, +500ms
        alarm delete             cancels it
        alarm run                runs the alarm handler now, as if it were due (wakes the
                                 object; a failure is retried as usual)
          alarm set 2030-01-01T00:00:00Z
          alarm set +10m""",
        List.of(Slot.words("set", "delete", "run")), AlarmCommands::alarm));
  }

  private static Output alarm(Session session, Arguments args) {
    String action = args.nextOrNull();
    Target target = session.requireTarget("alarm");
    String path = target.path("/alarm");
    if (action == null) {
      JsonNode alarm = session.client().get(path).result();
      return Output.of(alarm, isSet(alarm) ? "Alarm at " + describe(alarm) + "." : "No alarm is set.");
    }
    switch (action.toLowerCase(Locale.ROOT)) {
      case "set" -> {
        Instant at = when(args.next("a time"), args);
        args.end();
        JsonNode body = ExplorerClient.NODES.objectNode().put("scheduled_time", at.toString());
        JsonNode alarm = session.client().put(path, body).result();
        return Output.of(alarm, "Alarm set for " + describe(alarm) + ".");
      }
      case "delete" -> {
        args.end();
        JsonNode before = session.client().get(path).result();
        JsonNode alarm = session.client().delete(path).result();
        return Output.of(alarm, isSet(before) ? "Deleted the alarm that was due at "
            + before.path("scheduled_time").asText() + "." : "No alarm was set; nothing to delete.");
      }
      case "run" -> {
        args.end();
        JsonNode r = session.client().post(target.path("/alarm/run"), null).result();
        if (!r.path("ran").asBoolean()) {
          return Output.of(r, "No alarm is set; nothing ran.");
        }
        JsonNode next = r.path("alarm");
        return Output.of(r, "Ran the alarm handler; " + (isSet(next)
            ? "the next alarm is at " + describe(next) + "." : "no alarm is set now."));
      }
      default -> throw args.usage("unknown action '" + action + "'");
    }
  }

  private static boolean isSet(JsonNode alarm) {
    return alarm.path("scheduled_time").isTextual();
  }

  /** {@code 2030-01-01T00:00:00Z (in 3m 20s)}, or {@code none}. */
  static String describe(JsonNode alarm) {
    return describe(alarm, Instant.now());
  }

  /** As {@link #describe(JsonNode)}, with the distance measured from {@code now}. */
  static String describe(JsonNode alarm, Instant now) {
    if (!isSet(alarm)) {
      return "none";
    }
    String at = alarm.path("scheduled_time").asText();
    Duration left = Duration.between(now, Instant.parse(at));
    return at + (left.isNegative() || left.isZero() ? " (due)" : " (in " + human(left) + ")");
  }

  private static String human(Duration d) {
    long s = Math.max(1, (d.toMillis() + 999) / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
    return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + "h");
  }

  /** An ISO-8601 instant, or {@code +<duration>} from now (e.g. {@code +1h30m}). */
  static Instant when(String word, Arguments args) {
    if (word.startsWith("+")) {
      try {
        Instant at = fromNow(word.substring(1).toLowerCase(Locale.ROOT));
        if (at != null) {
          return at;
        }
      } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
        throw args.usage("'" + word + "' is too far in the future");
      }
    } else {
      try {
        return Instant.parse(word);
      } catch (DateTimeParseException e) {
        // not an instant: explained below
      }
    }
    throw args.usage("'" + word + "' is neither an ISO-8601 instant (2030-01-01T00:00:00Z)"
        + " nor a duration from now (+30s, +5m, +1h30m)");
  }

  /** Now plus a duration such as {@code 1h30m}, or null when it is not one. */
  private static Instant fromNow(String rest) {
    Matcher m = PART.matcher(rest);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < rest.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
      at = m.end();
    }
    return !rest.isEmpty() && at == rest.length() ? Instant.now().plus(total) : null;
  }
}
