package dev.durable.internal.runtime;

import dev.durable.runtime.DurableRuntime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Builders for runtimes in tests. */
final class RuntimeTestSupport {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private RuntimeTestSupport() {}

  static DurableRuntime.Builder inMemory() {
    return DurableRuntime.builder().idleTimeout(Duration.ZERO)
        .bind("COUNTER", TestObjects.Counter.class)
        .bind("PING", TestObjects.Pinger.class)
        .bind("ALARM", TestObjects.Alarmed.class);
  }

  static DurableRuntime.Builder onDisk(Path dir) {
    return inMemory().stateDirectory(dir);
  }

  /** The engine behind a runtime with at least one binding, for tests of its housekeeping. */
  static LocalRuntime local(DurableRuntime rt) {
    return ((LocalObjectTools) rt.tools()).runtime();
  }
}
