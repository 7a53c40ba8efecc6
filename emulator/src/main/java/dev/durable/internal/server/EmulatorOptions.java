package dev.durable.internal.server;

import dev.durable.runtime.DurableRuntime;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the emulator: which project, where its state lives, where to listen.
 *
 * @param config the project's {@code durable.jsonc}
 * @param classpath directories and jars holding the project's compiled classes
 * @param stateDirectory where state is kept, or null to keep it in memory
 * @param server where and how the HTTP server listens
 * @param idleTimeout how long an idle instance stays in memory; zero means forever
 * @param fsync whether commits wait for the disk (survive power loss), see README
 * @param deleteState whether migrations may remove the state of deleted classes
 * @param liveReload whether changed classes are swapped in while running
 * @param shareFiles whether other programs may read open object databases (slower), see README
 * @param sqlTimeLimit how long one SQL statement may run before it is stopped; zero means no limit
 */
public record EmulatorOptions(Path config, List<Path> classpath, Path stateDirectory,
    DevServer.Options server, Duration idleTimeout, boolean fsync, boolean deleteState,
    boolean liveReload, boolean shareFiles, Duration sqlTimeLimit) {

  /** Options for a project: state in {@code .durable/state} beside the config, port 8787. */
  public static EmulatorOptions forProject(Path config, List<Path> classpath) {
    Path dir = config.toAbsolutePath().getParent();
    return new EmulatorOptions(config, List.copyOf(classpath), dir.resolve(".durable").resolve("state"),
        DevServer.Options.defaults(), DurableRuntime.DEFAULT_IDLE_TIMEOUT, false, false, true, false,
        DurableRuntime.DEFAULT_SQL_TIME_LIMIT);
  }

  /**
   * The compiled classes of a project: the {@code File.pathSeparator}-separated entries given
   * (each must exist), or {@code target/classes} beside the configuration when none are.
   *
   * @throws IllegalArgumentException naming the entry that is missing
   */
  public static List<Path> projectClasspath(Path config, String given) {
    if (given == null) {
      Path dir = config.toAbsolutePath().getParent().resolve("target").resolve("classes");
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("no compiled classes at " + dir
            + " (compile the project, or give them with --classpath)");
      }
      return List.of(dir);
    }
    List<Path> entries = new ArrayList<>();
    for (String part : given.split(File.pathSeparator)) {
      if (part.isBlank()) {
        continue;
      }
      Path p = Path.of(part);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--classpath entry " + p + " does not exist");
      }
      entries.add(p);
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("--classpath is empty");
    }
    return List.copyOf(entries);
  }

  /** The same options with another state directory (null: in memory). */
  public EmulatorOptions withStateDirectory(Path dir) {
    return new EmulatorOptions(config, classpath, dir, server, idleTimeout, fsync, deleteState, liveReload,
        shareFiles, sqlTimeLimit);
  }

  /** The same options with other server options. */
  public EmulatorOptions withServer(DevServer.Options options) {
    return new EmulatorOptions(config, classpath, stateDirectory, options, idleTimeout, fsync, deleteState,
        liveReload, shareFiles, sqlTimeLimit);
  }

  /** The same options with another idle timeout. */
  public EmulatorOptions withIdleTimeout(Duration timeout) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, timeout, fsync, deleteState,
        liveReload, shareFiles, sqlTimeLimit);
  }

  /** The same options with fsync on or off. */
  public EmulatorOptions withFsync(boolean on) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, on, deleteState,
        liveReload, shareFiles, sqlTimeLimit);
  }

  /** The same options, allowing migrations to remove deleted classes' state or not. */
  public EmulatorOptions withDeleteState(boolean on) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, fsync, on, liveReload,
        shareFiles, sqlTimeLimit);
  }

  /** The same options with live reload on or off. */
  public EmulatorOptions withLiveReload(boolean on) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, fsync, deleteState, on,
        shareFiles, sqlTimeLimit);
  }

  /** The same options with object databases shared with other programs, or not. */
  public EmulatorOptions withShareFiles(boolean on) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, fsync, deleteState,
        liveReload, on, sqlTimeLimit);
  }

  /** The same options with another limit on one SQL statement's running time (zero: none). */
  public EmulatorOptions withSqlTimeLimit(Duration limit) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, fsync, deleteState,
        liveReload, shareFiles, limit);
  }
}
