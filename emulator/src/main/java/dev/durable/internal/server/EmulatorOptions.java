package dev.durable.internal.server;

import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
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

  /** The same options with live reload on or off. */
  public EmulatorOptions withLiveReload(boolean on) {
    return new EmulatorOptions(config, classpath, stateDirectory, server, idleTimeout, fsync, deleteState, on,
        shareFiles, sqlTimeLimit);
  }
}
