package dev.durable.testkit;

import dev.durable.runtime.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock the test moves by hand, given to the runtime as its time: {@code ctx.now()}, alarms
 * and {@code ctx.sleep()} follow it, and no timer fires until the test moves it.
 *
 * <pre>{@code
 * counter.remindMeEvery(Duration.ofDays(30));
 * dos.clock().advance(Duration.ofDays(90));   // the three alarms due in 90 days fire, in order
 * }</pre>
 *
 * <p>{@link #advance} takes the timers due by the target one at a time in (time, scheduling
 * order), sets the clock to that timer's instant, runs it and waits until it is done before
 * taking the next, so each alarm handler sees {@code ctx.now()} equal to its scheduled time.
 * Timers scheduled on the way are part of the same jump when they fall inside it: an alarm that
 * sets the next alarm, the retry of a failed alarm (after 2, 4, 8, 16, 32 and 64 s), the end of a
 * {@code ctx.sleep()}. A handler that sleeps on the clock counts as waiting, not busy, until its
 * sleep ends; an event woken from its sleep is waited for until it ends or sleeps again. Nothing
 * sleeps on real time: a jump of 90 days takes as long as its handlers.
 *
 * <p>A timer due at or before now (an alarm set in the past) waits for the next move;
 * {@code advance(Duration.ZERO)} runs it.
 */
public final class ManualClock implements RuntimeClock {
  /** Where a clock starts unless told otherwise: {@code 2026-01-01T00:00:00Z}. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /** How long {@link #advance} waits for a handler that neither finishes nor sleeps. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(30);

  /** After this much real time a sleeper says that only a move of the clock wakes it. */
  private static final Duration SLEEP_HINT_AFTER = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ManualClock.class);

  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::when).thenComparingLong(Entry::id);

  /** One scheduled timer. Wake-ups of sleepers run inline; other tasks on a thread of their own. */
  private record Entry(Instant when, long id, Runnable task, boolean inline) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Entry> timers = new PriorityQueue<>(ORDER);
  /** Threads waiting in {@link #sleep}. */
  private final Set<Thread> sleeping = new HashSet<>();
  /** Threads started or woken by a move that have not yet finished or gone back to sleep. */
  private final Set<Thread> busy = new HashSet<>();
  /** Threads that must not move the clock (they hold an object's gate). */
  private final ThreadLocal<String> advanceRefusal = new ThreadLocal<>();
  private Instant now;
  private long nextId;
  private Thread mover;
  private Throwable taskFailure;
  private boolean shutDown;
  private Duration stallLimit = STALL_LIMIT;

  private ManualClock(Instant start) {
    this.now = start;
  }

  /** A clock showing {@link #DEFAULT_START}. */
  public static ManualClock create() {
    return startingAt(DEFAULT_START);
  }

  /** A clock showing the given instant. */
  public static ManualClock startingAt(Instant start) {
    if (start == null) {
      throw new IllegalArgumentException("A manual clock needs a start instant, got null");
    }
    return new ManualClock(start);
  }

  /** The clock's current instant: where the last move left it. */
  @Override
  public Instant instant() {
    return locked(() -> now);
  }

  /**
   * Moves the clock forward by {@code duration}, running every timer that comes due during the
   * jump as described in the class documentation, and returns when they are all done.
   *
   * @throws IllegalStateException if a timer task threw (alarm handler failures do not count:
   *     the runtime retries them), or a handler neither finished nor slept for 30 s
   */
  public void advance(Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException("advance() needs a duration of zero or more, got " + duration);
    }
    Instant target = locked(() -> {
      checkMayMove("advance()");
      mover = Thread.currentThread();
      taskFailure = null;
      return plusSaturated(now, duration);
    });
    try {
      runTimersUntil(target);
    } finally {
      locked(() -> {
        mover = null;
      });
    }
    Throwable failure = taskFailure;
    if (failure != null) {
      throw new IllegalStateException("A timer task failed while the clock moved to " + target
          + ": " + failure, failure);
    }
  }

  /**
   * Sets the clock to an instant. Later than now, it is {@link #advance} by the difference;
   * earlier, time goes back and nothing fires (timers keep their instants).
   */
  public void setInstant(Instant instant) {
    if (instant == null) {
      throw new IllegalArgumentException("setInstant() needs an instant, got null");
    }
    Instant current = instant();
    if (instant.isAfter(current)) {
      advance(Duration.between(current, instant));
      return;
    }
    locked(() -> {
      checkMayMove("setInstant()");
      now = instant;
    });
  }

  /** When the earliest pending timer (alarm or end of a sleep) is due, or empty when none is. */
  public Optional<Instant> nextTimer() {
    return locked(() -> Optional.ofNullable(timers.peek()).map(Entry::when));
  }

  /**
   * Waits until at least {@code threads} threads sleep on this clock ({@code ctx.sleep()}), so a
   * test can start a call that sleeps on another thread, then move the clock past its end:
   *
   * <pre>{@code
   * CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> poller.pollAfter(Duration.ofMinutes(5)));
   * dos.clock().awaitSleeping(1);
   * dos.clock().advance(Duration.ofMinutes(5));
   * assertThat(reply.join()).isEqualTo("done");
   * }</pre>
   *
   * @throws IllegalStateException after 30 s without that many sleepers
   */
  public void awaitSleeping(int threads) {
    lock.lock();
    try {
      long left = STALL_LIMIT.toNanos();
      while (sleeping.size() < threads) {
        if (left <= 0) {
          throw new IllegalStateException("Waited " + STALL_LIMIT.toSeconds() + " s for " + threads
              + " thread(s) to sleep on the clock; " + sleeping.size() + " do");
        }
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for sleepers", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Timer schedule(Instant when, Runnable task) {
    if (when == null || task == null) {
      throw new IllegalArgumentException("schedule() needs an instant and a task");
    }
    Entry entry = locked(() -> {
      Entry e = new Entry(when, nextId++, task, false);
      if (!shutDown) {
        timers.add(e);
        changed.signalAll();
      }
      return e;
    });
    return () -> locked(() -> timers.remove(entry));
  }

  /** Waits until the clock has moved {@code duration} on; counts as idle for {@link #advance}. */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("sleep() duration must not be negative: " + duration);
    }
    if (duration.isZero()) {
      return;
    }
    Thread me = Thread.currentThread();
    boolean[] woken = {false};
    lock.lock();
    try {
      if (shutDown) {
        throw new InterruptedException("The test's runtime is closing");
      }
      Entry wake = new Entry(plusSaturated(now, duration), nextId++, () -> locked(() -> {
        woken[0] = true;
        // Running again: a move waits until it is done or asleep again. Events of objects run
        // on virtual threads that end with the event; a platform thread is the test's own.
        if (sleeping.remove(me) && me.isVirtual()) {
          busy.add(me);
        }
        changed.signalAll();
      }), true);
      timers.add(wake);
      sleeping.add(me);
      changed.signalAll();
      try {
        long hintIn = SLEEP_HINT_AFTER.toNanos();
        while (!woken[0]) {
          if (shutDown) {
            throw new InterruptedException("The test's runtime is closing");
          }
          if (hintIn > 0) {
            hintIn = changed.awaitNanos(hintIn);
            if (hintIn <= 0 && !woken[0] && mover == null) {
              log.warn("ctx.sleep({}) on {} has waited {} s of real time: the manual clock moves only"
                  + " on advance() or setInstant(). If the test's own thread made this call, make it"
                  + " from another thread, then awaitSleeping(1) and advance().", duration, me.getName(),
                  SLEEP_HINT_AFTER.toSeconds());
            }
          } else {
            changed.await();
          }
        }
      } catch (InterruptedException e) {
        sleeping.remove(me);
        timers.remove(wake);
        changed.signalAll();
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs work during which this thread may not move the clock: it holds an object's gate, so an
   * alarm of that object could never run.
   */
  <T> T refusingMoves(String reason, Callable<T> work) throws Exception {
    String previous = advanceRefusal.get();
    advanceRefusal.set(reason);
    try {
      return work.call();
    } finally {
      advanceRefusal.set(previous);
    }
  }

  /** Changes how long a move waits for a handler that neither finishes nor sleeps. */
  void stallLimit(Duration limit) {
    this.stallLimit = limit;
  }

  /** Drops every timer and wakes every sleeper with an interrupt (the runtime is closing). */
  void shutDown() {
    locked(() -> {
      shutDown = true;
      timers.clear();
      sleeping.forEach(Thread::interrupt);
      changed.signalAll();
    });
  }

  @Override
  public String toString() {
    return locked(() -> "ManualClock(" + now + ", " + timers.size() + " timer(s) pending, "
        + sleeping.size() + " sleeping)");
  }

  /** {@code at + duration}, or {@link Instant#MAX} where that would overflow: a far jump runs every timer. */
  private static Instant plusSaturated(Instant at, Duration duration) {
    return Duration.between(at, Instant.MAX).compareTo(duration) <= 0 ? Instant.MAX : at.plus(duration);
  }

  private void checkMayMove(String what) {
    String refusal = advanceRefusal.get();
    if (refusal != null) {
      throw new IllegalStateException(what + " called " + refusal + ": the object's gate is held"
          + " there, so its alarms could never run; move the clock outside that block");
    }
    if (mover != null) {
      throw new IllegalStateException(what + " called while the clock is already moving (from a"
          + " timer task or another thread: " + mover.getName() + ")");
    }
  }

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  private void locked(Runnable body) {
    locked(() -> {
      body.run();
      return null;
    });
  }

  private void runTimersUntil(Instant target) {
    awaitQuiet();
    while (true) {
      Entry next = locked(() -> {
        Entry due = timers.peek();
        if (due == null || due.when().isAfter(target)) {
          if (target.isAfter(now)) {
            now = target;
          }
          return null;
        }
        timers.poll();
        if (due.when().isAfter(now)) {
          now = due.when();
        }
        return due;
      });
      if (next == null) {
        return;
      }
      run(next);
      awaitQuiet();
    }
  }

  private void run(Entry entry) {
    if (entry.inline()) {
      entry.task().run();
      return;
    }
    Thread thread = Thread.ofVirtual().name("durable-clock-" + entry.when()).unstarted(() -> {
      try {
        entry.task().run();
      } catch (Throwable t) {
        locked(() -> {
          if (taskFailure == null) {
            taskFailure = t;
          }
        });
      } finally {
        locked(() -> {
          busy.remove(Thread.currentThread());
          changed.signalAll();
        });
      }
    });
    locked(() -> busy.add(thread));
    thread.start();
  }

  /** Waits until every thread a move started or woke has finished or sleeps on the clock. */
  private void awaitQuiet() {
    lock.lock();
    try {
      long left = stallLimit.toNanos();
      while (true) {
        busy.removeIf(t -> !t.isAlive());
        List<Thread> working = busy.stream().filter(t -> !sleeping.contains(t)).toList();
        if (working.isEmpty()) {
          return;
        }
        if (left <= 0) {
          throw new IllegalStateException("A handler run by the clock at " + now + " neither finished"
              + " nor slept on the clock for " + stallLimit.toMillis() + " ms; is it waiting on"
              + " something outside the runtime?\n" + describe(working));
        }
        // Threads woken from a sleep end without telling us: look again shortly.
        left -= TimeUnit.MILLISECONDS.toNanos(1) - changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the clock moved", e);
    } finally {
      lock.unlock();
    }
  }

  private static String describe(List<Thread> threads) {
    return threads.stream().map(t -> "  " + t.getName() + " at\n" + Arrays.stream(t.getStackTrace())
        .limit(12).map(f -> "    " + f).collect(Collectors.joining("\n")))
        .collect(Collectors.joining("\n"));
  }
}
