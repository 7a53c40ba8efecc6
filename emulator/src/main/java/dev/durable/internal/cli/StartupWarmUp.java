package dev.durable.internal.cli;

import dev.durable.internal.json.Json;
import dev.durable.internal.storage.NativeSqliteCache;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Loads SQLite's native library and the JSON mapper on a second thread while the main thread
 * reads the configuration and starts the server: on two cores that takes a few hundred
 * milliseconds off start-up. Whoever needs SQLite first simply waits for the library to load.
 * Measured in BENCHMARKS.md, "Dev server (issue 3)", start-up.
 */
final class StartupWarmUp {
  private StartupWarmUp() {}

  static void start() {
    Thread.ofPlatform().daemon().name("durable-warm-up").start(() -> {
      NativeSqliteCache.prepare();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
        c.createStatement().execute("SELECT 1");
      } catch (SQLException | RuntimeException e) {
        // Only a head start: the first real use reports any problem with SQLite.
      }
      Json.mapper();
    });
  }
}
