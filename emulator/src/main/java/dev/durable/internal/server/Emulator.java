package dev.durable.internal.server;

import dev.durable.internal.config.DurableConfig;
import dev.durable.internal.config.ResolvedConfig;
import dev.durable.internal.cron.CronScheduler;
import dev.durable.internal.migration.DeletedClassState;
import dev.durable.internal.migration.MigrationReport;
import dev.durable.internal.migration.StateMigration;
import dev.durable.internal.reload.ChangeWatcher;
import dev.durable.internal.reload.UserClasses;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulator for one project: its configuration and compiled classes, the runtime with
 * their state, the HTTP server, cron triggers, and live reload of the classes. What
 * {@code durable dev} runs; tests and the REPL's embedded mode start one too.
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.start(EmulatorOptions.forProject(config, classpath))) {
 *   System.out.println(emulator.url());
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Emulator.class);
  private static final Duration QUIET_BEFORE_RELOAD = Duration.ofMillis(250);
  /** A compile deletes classes before it writes them: a failure is reported only if it lasts. */
  private static final Duration FAILURE_GRACE = Duration.ofMillis(2000);

  private final EmulatorOptions options;
  private final UserClasses classes;
  private final DurableRuntime runtime;
  private final DevServer server;
  private volatile DurableConfig config;
  private volatile CronScheduler crons;
  private final ChangeWatcher watcher;
  private volatile Path waitingForClasses;
  private volatile String lastReloadError;
  private final ScheduledExecutorService failureReports = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("durable-reload-report").unstarted(r));
  private ScheduledFuture<?> pendingFailureReport;

  private Emulator(EmulatorOptions options) {
    this.options = options;
    this.config = DurableConfig.load(options.config());
    config.warnings().forEach(w -> log.warn("{}", w));
    if (options.stateDirectory() != null) {
      MigrationReport report = StateMigration.migrate(config, options.stateDirectory(),
          options.deleteState() ? DeletedClassState.REMOVE : DeletedClassState.KEEP);
      report.actions().forEach(a -> log.info("Migration: {}", a));
      report.warnings().forEach(w -> log.warn("Migration: {}", w));
    }
    this.classes = new UserClasses(options.classpath(), Emulator.class.getClassLoader());
    ResolvedConfig resolved = config.resolveClasses(classes.load());
    DurableRuntime.Builder builder = DurableRuntime.builder()
        .stateDirectory(options.stateDirectory()) // null: in memory
        .idleTimeout(options.idleTimeout())
        .fsync(options.fsync())
        .shareDatabaseFiles(options.shareFiles())
        .sqlTimeLimit(options.sqlTimeLimit());
    this.runtime = resolved.applyTo(builder).build();
    try {
      this.crons = CronScheduler.start(runtime, config.crons());
      this.server = DevServer.start(runtime, options.server());
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    this.watcher = options.liveReload() ? watch() : null;
  }

  /**
   * Reads the configuration, applies pending migrations, loads the classes, and starts serving.
   *
   * @throws dev.durable.internal.config.ConfigException when the configuration or a class is wrong
   */
  public static Emulator start(EmulatorOptions options) {
    Objects.requireNonNull(options, "options");
    return new Emulator(options);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8787}. */
  public String url() {
    return server.url();
  }

  /** The runtime serving the project. */
  public DurableRuntime runtime() {
    return runtime;
  }

  /** The HTTP server. */
  public DevServer server() {
    return server;
  }

  /** The class directory that is gone or empty while a reload waits for a compile, else null. */
  public Path waitingForClasses() {
    return waitingForClasses;
  }

  /** A directory of the class path that is missing or holds no class file, or null. */
  private Path classesMissing() {
    for (Path p : options.classpath()) {
      if (!Files.exists(p)) {
        return p;
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          if (files.noneMatch(f -> f.toString().endsWith(".class"))) {
            return p;
          }
        } catch (IOException | UncheckedIOException e) {
          return p; // deleted while we looked
        }
      }
    }
    return null;
  }

  /** Why the last reload failed, or null when it succeeded (or none was tried). */
  public String lastReloadError() {
    return lastReloadError;
  }

  /** The start-up banner: URLs, state, bindings, what is watched. */
  public List<String> banner() {
    List<String> lines = new ArrayList<>();
    lines.add("durable dev: worker '" + config.name() + "'"
        + config.main().map(m -> " (" + m + ")").orElse(" (no worker entry)"));
    lines.add("  App:          " + url());
    for (ServerExtension e : server.extensions()) {
      e.bannerLines(url()).forEach(l -> lines.add("  " + l));
    }
    lines.add("  State:        " + (options.stateDirectory() == null ? "in memory (nothing is kept)"
        : options.stateDirectory().toAbsolutePath().normalize()
            + (options.fsync() ? " (fsync on)" : "")));
    for (ObjectTools.NamespaceInfo ns : runtime.tools().namespaces()) {
      lines.add("  Binding:      " + ns.binding() + " -> " + ns.objectClass().getName() + " (" + ns.namespaceId() + ")");
    }
    config.crons().forEach(c -> lines.add("  Cron:         " + c.expression()));
    if (watcher != null) {
      lines.add("  Reload:       watching " + options.classpath().stream().map(Path::toString).toList());
    }
    return lines;
  }

  /** Loads the configuration and classes again and swaps them in; on failure keeps the old. */
  public synchronized void reload() {
    long started = System.nanoTime();
    if (pendingFailureReport != null) {
      pendingFailureReport.cancel(false);
    }
    try {
      DurableConfig fresh = DurableConfig.load(options.config());
      ResolvedConfig resolved = fresh.resolveClasses(classes.load());
      runtime.reload(resolved.bindings(), resolved.newWorker().orElse(null));
      if (!fresh.vars().equals(config.vars())) {
        log.warn("vars changed in {}; restart durable dev to apply them", options.config());
      }
      if (!fresh.crons().equals(config.crons())) {
        crons.close();
        crons = CronScheduler.start(runtime, fresh.crons());
      }
      config = fresh;
      lastReloadError = null;
      waitingForClasses = null;
      log.info("Reloaded the project's classes in {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException | LinkageError e) {
      String error = e.getMessage();
      lastReloadError = error;
      Path missing = classesMissing();
      if (missing != null) {
        // mvn clean, or a compile that has not written anything yet: not an error of the user's.
        if (waitingForClasses == null) {
          log.info("Waiting for classes to compile: {} has none; the previous code keeps serving", missing);
        }
        waitingForClasses = missing;
        return;
      }
      waitingForClasses = null;
      pendingFailureReport = failureReports.schedule(
          () -> log.error("Live reload failed; the previous code keeps serving: {}", error),
          FAILURE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private ChangeWatcher watch() {
    List<Path> trees = options.classpath().stream().filter(Files::isDirectory).toList();
    List<Path> files = new ArrayList<>(options.classpath().stream().filter(p -> !Files.isDirectory(p)).toList());
    files.add(options.config());
    return ChangeWatcher.start(trees, files, QUIET_BEFORE_RELOAD, this::reload);
  }

  /**
   * Stops gracefully: no more reloads or crons, WebSockets closed with 1001, in-flight requests
   * finish, pending writes are committed and every database closed.
   */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    failureReports.shutdownNow();
    crons.close();
    runtime.closeWebSockets(1001, "The emulator is shutting down");
    try {
      server.close();
    } finally {
      runtime.close();
    }
  }
}
