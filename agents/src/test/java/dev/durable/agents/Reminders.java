package dev.durable.agents;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An agent whose scheduled methods write down when they ran, for the schedule tests. */
public class Reminders extends Agent<Reminders.Log>
    implements ScheduleRestartTest.ReminderLog, ScheduleRestartTest.ScheduleApi {
  /** How many times {@link #flaky} failed, across instances (each test resets it). */
  static final AtomicInteger FLAKY_FAILURES_LEFT = new AtomicInteger();

  /** What ran, in order: {@code "text@instant"}. */
  public record Log(List<String> fired) {}

  public Reminders(DurableObjectState ctx, Env env) {
    super(ctx, env, Log.class);
  }

  @Override
  protected Log initialState() {
    return new Log(List.of());
  }

  /** A one-off in ten minutes and an hourly cron, for the restart test. */
  @Override
  public void scheduleBoth() {
    schedule(Duration.ofMinutes(10), "remind", "once");
    schedule("0 * * * *", "remind", "hourly");
  }

  public void remind(String text) {
    write(text);
  }

  public void remindWithSchedule(String text, Schedule schedule) {
    write(text + "/" + schedule.type().column());
  }

  void tick() {
    write("tick");
  }

  public void flaky(String text) {
    if (FLAKY_FAILURES_LEFT.getAndDecrement() > 0) {
      throw new IllegalStateException("flaky failed");
    }
    write(text);
  }

  public void cancelOthers(String keep) {
    for (Schedule s : getSchedules()) {
      if (!s.payload().asText().equals(keep)) {
        cancelSchedule(s.id());
      }
    }
    write("cancelled others");
  }

  private void write(String what) {
    List<String> fired = new ArrayList<>(state().fired());
    fired.add(what + "@" + ctx.now());
    setState(new Log(fired));
  }
}
