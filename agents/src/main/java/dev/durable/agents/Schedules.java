package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.durable.DurableObjectStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An agent's schedules, multiplexed on the object's one alarm: each schedule is a row of
 * {@code cf_agents_schedules} (the SDK's table name and columns, {@code time} in epoch seconds),
 * and the alarm is kept at the earliest row's time. Firing calls the due rows' methods in time
 * order and commits after each, so a failing method leaves those before it done and makes the
 * runtime retry the alarm (at least once, with its backoff) from the one that failed.
 */
final class Schedules {
  static final String TABLE = "cf_agents_schedules";
  private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DurableObjectStorage storage;
  /** When else the alarm must fire (the agent's fibers), if at all. */
  private final Supplier<Optional<Instant>> otherWakeUp;
  /**
   * Schedules whose method runs now in this instance. A method may wait (a fiber's steps), and
   * an alarm may fire meanwhile: it neither runs them again nor is set for them.
   */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final AgentTables tables;

  Schedules(DurableObjectStorage storage, Supplier<Optional<Instant>> otherWakeUp) {
    this.storage = storage;
    this.otherWakeUp = otherWakeUp;
    this.tables = new AgentTables(storage, List.of("CREATE TABLE IF NOT EXISTS " + TABLE
        + " (id TEXT PRIMARY KEY NOT NULL, callback TEXT, payload TEXT, type TEXT NOT NULL CHECK (type IN"
        + " ('scheduled', 'delayed', 'cron', 'interval')), time INTEGER, delayInSeconds INTEGER, cron TEXT,"
        + " intervalSeconds INTEGER, created_at INTEGER)"));
  }

  Schedule add(Schedule.Type type, Instant time, String callback, JsonNode payload, Long delayInSeconds,
      String cron, Long intervalSeconds, Instant now) {
    Schedule s = new Schedule(newId(), callback, payload, type, Instant.ofEpochSecond(time.getEpochSecond()),
        delayInSeconds, cron, intervalSeconds);
    tables.exec("INSERT INTO " + TABLE + " (id, callback, payload, type, time, delayInSeconds, cron,"
        + " intervalSeconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", s.id(), callback,
        AgentJson.write(payload), type.column(), s.time().getEpochSecond(), delayInSeconds, cron,
        intervalSeconds, now.getEpochSecond());
    arm();
    return s;
  }

  List<Schedule> all() {
    return select("ORDER BY time, rowid");
  }

  Optional<Schedule> get(String id) {
    return select("WHERE id = ?", id).stream().findFirst();
  }

  /** The schedules due by {@code now} whose method is not running already. */
  List<Schedule> due(Instant now) {
    return select("WHERE time <= ? ORDER BY time, rowid", now.getEpochSecond()).stream()
        .filter(s -> !running.contains(s.id())).toList();
  }

  boolean cancel(String id) {
    boolean gone = tables.exec("DELETE FROM " + TABLE + " WHERE id = ?", id).rowsWritten() > 0;
    arm();
    return gone;
  }

  /** After a schedule ran: a one-off is done, a repeating one moves to its next time. */
  void ran(Schedule s, Instant now) {
    switch (s.type()) {
      case CRON -> reschedule(s, CronExpression.parse(s.cron()).next(now));
      case INTERVAL -> reschedule(s, now.plusSeconds(s.intervalSeconds()));
      default -> tables.exec("DELETE FROM " + TABLE + " WHERE id = ?", s.id());
    }
  }

  /**
   * Sets the alarm to the earliest schedule or other wake-up, or removes it when there is none.
   */
  void arm() {
    Object earliest = null;
    for (Map<String, Object> row : tables.exec("SELECT id, time FROM " + TABLE + " ORDER BY time")) {
      if (!running.contains((String) row.get("id"))) {
        earliest = row.get("time");
        break;
      }
    }
    Optional<Instant> other = otherWakeUp.get();
    Optional<Instant> alarm = storage.getAlarm();
    if (earliest == null && other.isEmpty()) {
      if (alarm.isPresent()) {
        storage.deleteAlarm();
      }
      return;
    }
    Instant at = earliest == null ? other.get() : Instant.ofEpochSecond(((Number) earliest).longValue());
    if (other.isPresent() && other.get().isBefore(at)) {
      at = other.get();
    }
    if (alarm.isEmpty() || !alarm.get().equals(at)) {
      storage.setAlarm(at);
    }
  }

  /** Runs a due schedule's method, marked running meanwhile. */
  void run(Object agent, Schedule s) throws Exception {
    running.add(s.id());
    try {
      call(agent, s);
    } finally {
      running.remove(s.id());
    }
  }

  /** Calls a schedule's method on the agent with its payload (and the schedule, if it takes it). */
  private static void call(Object agent, Schedule s) throws Exception {
    Method m = callback(agent.getClass(), s.callback());
    Object[] args = new Object[m.getParameterCount()];
    if (args.length > 0) {
      args[0] = AgentJson.read(s.payload(), m.getGenericParameterTypes()[0]);
    }
    if (args.length > 1) {
      args[1] = s;
    }
    try {
      m.invoke(agent, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The method a schedule calls: an instance method of the agent's class (or a superclass) with
   * that name taking (), (payload) or (payload, {@link Schedule}).
   */
  static Method callback(Class<?> agentClass, String name) {
    for (Class<?> c = agentClass; c != null && c != Agent.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()
            && fits(m.getParameterTypes())) {
          m.setAccessible(true);
          return m;
        }
      }
    }
    throw new IllegalArgumentException(agentClass.getSimpleName() + " has no method '" + name
        + "' to schedule; a schedule calls an instance method taking (), (payload) or (payload, Schedule)");
  }

  private static boolean fits(Class<?>[] params) {
    return params.length <= 1 || (params.length == 2 && params[1] == Schedule.class);
  }

  private void reschedule(Schedule s, Instant next) {
    tables.exec("UPDATE " + TABLE + " SET time = ? WHERE id = ?", next.getEpochSecond(), s.id());
  }

  private List<Schedule> select(String where, Object... bindings) {
    List<Schedule> out = new ArrayList<>();
    for (Map<String, Object> row : tables.exec("SELECT * FROM " + TABLE + " " + where, bindings)) {
      String payload = (String) row.get("payload");
      out.add(new Schedule((String) row.get("id"), (String) row.get("callback"),
          payload == null ? NullNode.getInstance() : AgentJson.parse(payload),
          Schedule.Type.fromColumn((String) row.get("type")),
          Instant.ofEpochSecond(((Number) row.get("time")).longValue()), asLong(row.get("delayInSeconds")),
          (String) row.get("cron"), asLong(row.get("intervalSeconds"))));
    }
    return out;
  }

  private static Long asLong(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  private static String newId() {
    StringBuilder id = new StringBuilder(9);
    for (int i = 0; i < 9; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }
}
