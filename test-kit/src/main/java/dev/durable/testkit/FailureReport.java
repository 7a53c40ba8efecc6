package dev.durable.testkit;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectStub;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The state of every object a test touched, attached to its failure: surefire prints it under
 * the failure as a suppressed exception, so the reader sees what the objects held.
 */
final class FailureReport {
  /** An object busy this long (a handler stuck on something) is reported as busy. */
  private static final Duration READ_LIMIT = Duration.ofSeconds(5);

  /** The report, as a throwable without a stack trace (only its message matters). */
  static final class ObjectStateAtFailure extends RuntimeException {
    ObjectStateAtFailure(String report) {
      super(report, null, false, false);
    }

    /** Printed as "Suppressed: ..." under the failure: the report alone reads best. */
    @Override
    public String toString() {
      return getMessage();
    }
  }

  private FailureReport() {}

  /** An object the test touched. */
  private record Touched(String binding, DurableObjectId id) {
    String label() {
      return binding + id.name().map(n -> " '" + n + "'").orElse(" " + id);
    }
  }

  /** The report for the runtime's objects, or null when the test touched none. */
  static String of(DurableRuntime runtime, ManualClock clock) {
    ObjectTools tools = runtime.tools();
    List<Touched> touched = new ArrayList<>();
    for (ObjectTools.NamespaceInfo ns : tools.namespaces()) {
      tools.inMemory(ns.binding()).forEach(o -> touched.add(new Touched(ns.binding(), o.id())));
    }
    if (touched.isEmpty()) {
      return null;
    }
    touched.sort(Comparator.comparing(Touched::binding)
        .thenComparing(t -> t.id().name().orElse("~" + t.id())));
    StringBuilder b = new StringBuilder("Durable Objects this test touched (clock at ")
        .append(clock.instant()).append("):");
    List<String> empty = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (Touched t : touched) {
      String described = describe(runtime, t, empty, pending, clock.instant());
      if (described != null) {
        b.append("\n").append(described.indent(2).stripTrailing());
      }
    }
    if (!empty.isEmpty()) {
      b.append("\n  nothing stored: ").append(String.join(", ", empty));
    }
    for (String p : pending) {
      b.append("\n  pending alarm: ").append(p);
    }
    return b.toString();
  }

  private static String describe(DurableRuntime runtime, Touched t, List<String> empty,
      List<String> pending, Instant now) {
    DurableObjectStub stub = runtime.namespace(t.binding()).get(t.id());
    CompletableFuture<ObjectSnapshot> read = CompletableFuture.supplyAsync(
        () -> ObjectSnapshot.read(runtime.tools(), stub),
        r -> Thread.ofVirtual().name("durable-failure-report").start(r));
    try {
      ObjectSnapshot s = read.get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      s.alarm().filter(at -> at.isAfter(now)).ifPresent(at -> pending.add(pendingAlarm(s.label(), at, now)));
      if (s.isEmpty()) {
        empty.add(s.label());
        return null;
      }
      return s.describe();
    } catch (TimeoutException e) {
      return t.label() + ": busy for " + READ_LIMIT.toSeconds() + " s (a handler is still running); not read";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return t.label() + ": not read (interrupted)";
    } catch (Exception e) {
      return t.label() + ": could not be read: " + e.getCause();
    }
  }

  /** The manual clock fires nothing by itself: a test that forgot to move it reads how to. */
  private static String pendingAlarm(String label, Instant at, Instant now) {
    String ahead = Duration.between(now, at).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    return label + " at " + at + ", " + ahead + " after the manual clock; alarms fire only when the"
        + " test moves it: dos.clock().advance(Duration.parse(\"PT" + ahead.toUpperCase(java.util.Locale.ROOT)
        + "\")), or dos.runAlarm(stub) to fire it now";
  }
}
