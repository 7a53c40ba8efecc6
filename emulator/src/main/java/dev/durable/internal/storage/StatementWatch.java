package dev.durable.internal.storage;

import java.time.Duration;
import java.util.Locale;
import org.sqlite.ProgressHandler;

/**
 * Stops a user's SQL statement that runs too long, or that another thread asks to stop (the
 * runtime shutting down). SQLite calls {@link #progress} every few thousand virtual-machine steps
 * of a statement on the connection; a non-zero answer makes the statement fail with
 * {@code SQLITE_INTERRUPT}. Only user statements are watched: the runtime's own commits and
 * savepoints are never stopped.
 */
final class StatementWatch extends ProgressHandler {
  /** Steps between checks: about a tenth of a millisecond of work, a negligible cost. */
  static final int STEPS_PER_CHECK = 10_000;

  private volatile long limitNanos;
  private volatile boolean watching;
  private volatile long deadline;
  private volatile String stopRequest;
  private volatile String stoppedBecause;
  /** Why the last stopped statement was stopped, kept until the turn ends. */
  private String lastStop;

  /** Sets the time one statement may run; zero for no limit. */
  void limit(Duration limit) {
    this.limitNanos = limit.isZero() ? 0 : Math.max(1, saturatedNanos(limit));
  }

  /** A user statement starts. */
  void begin() {
    stoppedBecause = null;
    long limit = limitNanos;
    deadline = limit == 0 ? Long.MAX_VALUE : System.nanoTime() + limit;
    watching = true;
  }

  /** The user statement is done; returns why it was stopped, or null when it was not. */
  String end() {
    watching = false;
    String why = stoppedBecause;
    stoppedBecause = null;
    if (why != null) {
      lastStop = why;
    }
    return why;
  }

  /**
   * Why a statement of the ending turn was stopped, or null: an interrupted write makes SQLite
   * roll back the whole open transaction, and the turn's end then fails for that reason.
   */
  String takeLastStop() {
    String why = lastStop;
    lastStop = null;
    return why;
  }

  /** From any thread: stop the running user statement, and every one after it, for a reason. */
  void stopAll(String reason) {
    stopRequest = reason;
  }

  @Override
  protected int progress() {
    if (!watching) {
      return 0;
    }
    String stop = stopRequest;
    if (stop != null) {
      stoppedBecause = stop;
      return 1;
    }
    long limit = limitNanos;
    if (limit != 0 && System.nanoTime() - deadline > 0) {
      stoppedBecause = "it ran longer than the limit of " + Duration.ofNanos(limit).toString()
          .substring(2).toLowerCase(Locale.ROOT) + " for one statement (Cloudflare bounds"
          + " an event's CPU time; the emulator's limit is set with --sql-time-limit)";
      return 1;
    }
    return 0;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }
}
