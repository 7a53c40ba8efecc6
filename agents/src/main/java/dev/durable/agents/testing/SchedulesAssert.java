package dev.durable.agents.testing;

import dev.durable.agents.Schedule;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on an agent's schedules; each failure shows every schedule the agent has. */
public final class SchedulesAssert extends AbstractAssert<SchedulesAssert, List<Schedule>> {
  SchedulesAssert(List<Schedule> schedules) {
    super(schedules, SchedulesAssert.class);
  }

  /** The agent has no schedules. */
  public SchedulesAssert isEmpty() {
    isNotNull();
    if (!actual.isEmpty()) {
      failWithMessage("Expected no schedules but the agent has %s", describe());
    }
    return this;
  }

  /** The agent has this many schedules. */
  public SchedulesAssert hasSize(int expected) {
    isNotNull();
    if (actual.size() != expected) {
      failWithMessage("Expected %d schedules but the agent has %d: %s", expected, actual.size(), describe());
    }
    return this;
  }

  /** Some schedule calls this method. */
  public SchedulesAssert hasScheduleFor(String callback) {
    isNotNull();
    if (actual.stream().noneMatch(s -> s.callback().equals(callback))) {
      failWithMessage("Expected a schedule calling %s but the agent has %s", callback, describe());
    }
    return this;
  }

  /** No schedule calls this method. */
  public SchedulesAssert hasNoScheduleFor(String callback) {
    isNotNull();
    if (actual.stream().anyMatch(s -> s.callback().equals(callback))) {
      failWithMessage("Expected no schedule calling %s but the agent has %s", callback, describe());
    }
    return this;
  }

  /** The next schedule to run calls this method at this time. */
  public SchedulesAssert nextIs(String callback, Instant time) {
    isNotNull();
    if (actual.isEmpty() || !actual.get(0).callback().equals(callback) || !actual.get(0).time().equals(time)) {
      failWithMessage("Expected the next schedule to call %s at %s but the agent has %s", callback, time, describe());
    }
    return this;
  }

  private String describe() {
    if (actual.isEmpty()) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    for (Schedule s : actual) {
      out.append("\n  ").append(s.callback()).append(" at ").append(s.time()).append(" (")
          .append(s.type().column()).append(s.cron() != null ? " " + s.cron() : "")
          .append(s.intervalSeconds() != null ? " every " + s.intervalSeconds() + "s" : "")
          .append(", id ").append(s.id()).append(", payload ").append(s.payload()).append(')');
    }
    return out.toString();
  }
}
