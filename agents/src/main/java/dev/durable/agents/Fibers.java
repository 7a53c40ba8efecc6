package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.durable.DurableObjectState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The machinery behind an agent's fibers. A fiber's row is written before its body runs and
 * says {@code running} until the body returns or throws. A row still running that no body of
 * this instance runs was left by an instance that is gone (evicted, reset, reloaded, a process
 * that died): it is recovered in the agent's alarm. While rows are running the alarm beats every
 * heartbeat interval, so after a crash the persisted alarm wakes the agent even when nobody
 * calls it; a new instance that finds such rows sets the alarm to now.
 *
 * <p>Events of one agent run one at a time but interleave while one waits on outgoing I/O, so
 * what several events share here is thread-safe.
 */
final class Fibers {
  private static final System.Logger log = System.getLogger(Fibers.class.getName());

  /** The agent's hook, {@link Agent#onFiberRecovered}. */
  @FunctionalInterface
  interface RecoveryHook {
    void recovered(FiberRecovery recovery) throws Exception;
  }

  private final DurableObjectState ctx;
  private final FiberTable table;
  private final Supplier<Duration> heartbeat;
  private final Runnable armAlarm;
  /** Fibers whose body runs in this instance; any other running row is an orphan. */
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  /**
   * @param heartbeat how often the alarm beats while fibers run
   * @param armAlarm sets the agent's one alarm from its schedules and {@link #wakeUp()}
   */
  Fibers(DurableObjectState ctx, Supplier<Duration> heartbeat, Runnable armAlarm) {
    this.ctx = ctx;
    this.table = new FiberTable(ctx.storage());
    this.heartbeat = heartbeat;
    this.armAlarm = armAlarm;
  }

  /** A new instance: fibers left running by the one before are recovered at once, in the alarm. */
  void afterWake() {
    if (table.runningRecoveries().isEmpty()) {
      return;
    }
    Instant now = ctx.now();
    Optional<Instant> alarm = ctx.storage().getAlarm();
    if (alarm.isEmpty() || alarm.get().isAfter(now)) {
      ctx.storage().setAlarm(now);
    }
  }

  /**
   * When the alarm must fire for the fibers: now for an orphan never tried; one heartbeat from
   * now while any fiber runs (ours, or an orphan whose recovery did not finish); else never.
   */
  Optional<Instant> wakeUp() {
    Map<String, Integer> running = table.runningRecoveries();
    if (running.isEmpty()) {
      return Optional.empty();
    }
    Instant now = ctx.now();
    boolean untried = running.entrySet().stream()
        .anyMatch(f -> !active.contains(f.getKey()) && f.getValue() == 0);
    return Optional.of(untried ? now : now.plus(heartbeatInterval()));
  }

  <T> T run(String name, FiberBody<T> body) throws Exception {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("runFiber() needs a name, got " + (name == null ? "null" : "'" + name + "'"));
    }
    if (body == null) {
      throw new IllegalArgumentException("runFiber('" + name + "') needs a body, got null");
    }
    String id = UUID.randomUUID().toString();
    table.insert(id, name, ctx.now());
    return execute(id, name, NullNode.getInstance(), body);
  }

  /** Runs a registered fiber's body (a new one, or a recovered one resumed) and records how it ended. */
  <T> T execute(String id, String name, JsonNode snapshot, FiberBody<T> body) throws Exception {
    active.add(id);
    KeepAlive alive = keepAlive();
    FiberContext fiber = new FiberContext(id, name, snapshot, json -> table.stash(id, json, ctx.now()));
    T result;
    try {
      armAlarm.run(); // the heartbeat, so a crash from here on is found even if nobody calls
      result = body.run(fiber);
    } catch (Exception e) {
      fiber.end();
      active.remove(id);
      alive.close();
      recordFailure(id, e);
      throw e;
    }
    fiber.end();
    active.remove(id);
    alive.close();
    table.end(id, Fiber.State.FINISHED, null, ctx.now());
    armAlarm.run();
    return result;
  }

  /**
   * Marks the fiber failed and commits that now: the exception would otherwise roll the mark
   * back with the event, leaving the fiber running, to be recovered. What the body wrote since
   * it last waited is committed with it, as a throwing handler's writes stay in Cloudflare. When
   * the event lost its instance (evicted, reset) nothing can be written: the fiber stays running
   * and the next instance recovers it.
   */
  private void recordFailure(String id, Exception e) {
    try {
      table.end(id, Fiber.State.FAILED, describe(e), ctx.now());
      armAlarm.run();
      commitNow();
    } catch (RuntimeException notRecorded) {
      e.addSuppressed(notRecorded);
    }
  }

  /** Recovers every orphan, oldest first; called at the start of the agent's alarm. */
  void recover(RecoveryHook hook) throws Exception {
    for (Fiber orphan : table.running()) {
      if (active.contains(orphan.id())) {
        continue;
      }
      if (orphan.recoveries() >= FiberRecovery.MAX_RECOVERIES) {
        table.end(orphan.id(), Fiber.State.FAILED, "interrupted again after " + orphan.recoveries()
            + " recoveries; not recovered any more", ctx.now());
        log.log(Level.WARNING, "Fiber ''{0}'' ({1}) was interrupted again after {2} recoveries; marked failed",
            orphan.name(), orphan.id(), orphan.recoveries());
        continue;
      }
      table.countRecovery(orphan.id(), ctx.now());
      commitNow(); // a crash inside the hook still counts as a recovery, so a poison fiber ends
      Fiber counted = table.get(orphan.id()).orElseThrow();
      recoverOne(counted, hook);
    }
  }

  private void recoverOne(Fiber fiber, RecoveryHook hook) throws Exception {
    FiberRecovery recovery = new FiberRecovery(fiber, this);
    try {
      hook.recovered(recovery);
    } catch (Exception e) {
      recovery.close();
      try {
        if (recovery.resumed()) {
          // The resumed body recorded its end (failed) before its exception got here.
          log.log(Level.WARNING, () -> "Resumed fiber '" + fiber.name() + "' (" + fiber.id() + ") failed", e);
        } else {
          // Still running: the heartbeat brings the next try, up to MAX_RECOVERIES.
          table.noteError(fiber.id(), "onFiberRecovered threw " + describe(e), ctx.now());
          log.log(Level.WARNING, () -> "onFiberRecovered for fiber '" + fiber.name() + "' (" + fiber.id()
              + ") threw; it is tried again later", e);
        }
      } catch (RuntimeException instanceGone) {
        // Evicted or reset while the hook waited: this event cannot write, and must fail.
        e.addSuppressed(instanceGone);
        throw e;
      }
      return;
    }
    recovery.close();
    if (!recovery.resumed()) {
      table.end(fiber.id(), Fiber.State.RECOVERED, null, ctx.now());
    }
  }

  List<Fiber> all() {
    return table.all();
  }

  Optional<Fiber> get(String id) {
    return table.get(id);
  }

  int deleteEnded() {
    return table.deleteEnded();
  }

  /** Holds the agent in memory until closed: pending work, as {@code ctx.waitUntil} counts it. */
  KeepAlive keepAlive() {
    CompletableFuture<Void> held = new CompletableFuture<>();
    ctx.waitUntil(held);
    return () -> held.complete(null);
  }

  private Duration heartbeatInterval() {
    Duration d = heartbeat.get();
    if (d == null || d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("fiberHeartbeatInterval() must be at least 1 ms, got " + d);
    }
    return d;
  }

  /**
   * Commits the event's writes now: a wait of zero opens the input gate, and pending writes are
   * committed before it opens. Events that queued meanwhile may run before this one goes on.
   */
  private void commitNow() {
    ctx.sleep(Duration.ZERO);
  }

  private static String describe(Exception e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
