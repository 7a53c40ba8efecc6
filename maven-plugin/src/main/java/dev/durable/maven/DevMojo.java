package dev.durable.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn durable:dev}: compiles the project, then runs {@code durable dev} on its classes and
 * dependencies in a JVM of its own, until Ctrl-C. A change under {@code src/main} is compiled
 * at once and the emulator swaps the new classes in, as after {@code mvn compile}.
 *
 * <p>Every option of {@code durable dev} is a property: {@code mvn durable:dev -Ddurable.port=9000}.
 */
@Mojo(name = "dev", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class DevMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  private File basedir;

  @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
  private File classesDirectory;

  /** The project's dependencies, resolved for the runtime scope. */
  @Parameter(defaultValue = "${project.artifacts}", readonly = true, required = true)
  private Set<Artifact> projectArtifacts;

  @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
  private List<String> compileClasspath;

  @Parameter(defaultValue = "${project.compileSourceRoots}", readonly = true, required = true)
  private List<String> sourceRoots;

  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
  private List<Artifact> pluginArtifacts;

  /** The {@code --release} the project compiles for. */
  @Parameter(property = "maven.compiler.release", defaultValue = "21")
  private String release;

  /** The project's configuration. */
  @Parameter(property = "durable.config", defaultValue = "${project.basedir}/durable.jsonc")
  private File config;

  /** Port to listen on (0 picks a free one). */
  @Parameter(property = "durable.port", defaultValue = "8787")
  private int port;

  /** Address to bind; another than loopback needs {@code durable.explorerToken}. */
  @Parameter(property = "durable.host", defaultValue = "127.0.0.1")
  private String host;

  /** Where state is kept (default: {@code .durable/state} beside the configuration). */
  @Parameter(property = "durable.state")
  private File state;

  /** Keep no state. */
  @Parameter(property = "durable.inMemory", defaultValue = "false")
  private boolean inMemory;

  /** Evict an idle instance after this long: 10s, 500ms, 2m; 0 = never. */
  @Parameter(property = "durable.idleTimeout")
  private String idleTimeout;

  /** error, warn, info or debug. */
  @Parameter(property = "durable.logLevel")
  private String logLevel;

  /** Required as {@code Authorization: Bearer} on every explorer request. */
  @Parameter(property = "durable.explorerToken")
  private String explorerToken;

  /** Make every commit wait for the disk. */
  @Parameter(property = "durable.fsync", defaultValue = "false")
  private boolean fsync;

  /** Let other programs open an object's database while it runs. */
  @Parameter(property = "durable.shareFiles", defaultValue = "false")
  private boolean shareFiles;

  /** Let migrations remove the state of deleted classes. */
  @Parameter(property = "durable.deleteState", defaultValue = "false")
  private boolean deleteState;

  /** Neither recompile nor reload on change. */
  @Parameter(property = "durable.noReload", defaultValue = "false")
  private boolean noReload;

  /** Largest request body accepted, in bytes. */
  @Parameter(property = "durable.maxBody")
  private Long maxBody;

  /** {@code --sql-time-limit}: an SQL statement running longer is stopped (default 30s; 0 = never). */
  @Parameter(property = "durable.sqlTimeLimit")
  private String sqlTimeLimit;

  /** {@code --explorer-ui}: another build of an explorer web UI to serve at /cdn-cgi/explorer. */
  @Parameter(property = "durable.explorerUi")
  private String explorerUi;

  /** {@code --websocket-compress-min}: compress WebSocket messages of at least this size, or off. */
  @Parameter(property = "durable.websocketCompressMin")
  private String websocketCompressMin;

  /** Options for the emulator's JVM, replacing the default heap settings. */
  @Parameter(property = "durable.jvmArgs", defaultValue = "-Xms32m -Xmx256m -XX:+UseSerialGC")
  private String jvmArgs;

  @Override
  public void execute() throws MojoExecutionException {
    if (Runtime.version().feature() < 21) {
      throw new MojoExecutionException("durable needs a JDK 21 or newer, and Maven runs on Java "
          + Runtime.version().feature() + " (" + System.getProperty("java.home")
          + "): point JAVA_HOME at a JDK 21+ and run mvn again");
    }
    if (!config.isFile()) {
      throw new MojoExecutionException("No configuration at " + config + ": durable dev serves what"
          + " durable.jsonc describes (give another one with -Ddurable.config=path/durable.jsonc)");
    }
    SourceCompiler compiler = noReload ? null
        : new SourceCompiler(sourceRoots.stream().map(Path::of).toList(),
            basedir.toPath().resolve("src/main/resources"), classesDirectory.toPath(),
            compileClasspath, release, getLog());
    Process emulator;
    try {
      emulator = new ProcessBuilder(command()).inheritIO().start();
    } catch (IOException e) {
      throw new MojoExecutionException("Could not start the emulator's JVM: " + e.getMessage(), e);
    }
    // Ctrl-C reaches both JVMs; a plain kill of Maven stops the emulator the same way, so its
    // requests finish and its state is committed.
    Thread stopper = new Thread(() -> stop(emulator), "durable-dev-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    if (compiler != null) {
      compiler.start();
    }
    try {
      int status = emulator.waitFor();
      if (status != 0) {
        throw new MojoExecutionException("The emulator stopped with status " + status + " (see above)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(emulator);
    } finally {
      if (compiler != null) {
        compiler.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran: it stops the emulator.
      }
    }
  }

  private static void stop(Process emulator) {
    emulator.destroy();
    try {
      emulator.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code java ... durable dev ...} on the plugin's own class path (the emulator and its server). */
  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Arrays.stream(jvmArgs.trim().split("\\s+")).filter(arg -> !arg.isEmpty()).forEach(cmd::add);
    // sqlite-jdbc loads a native library: allowed, so JDK 22+ prints no warning.
    cmd.add("--enable-native-access=ALL-UNNAMED");
    String emulatorClasspath = pluginArtifacts.stream().filter(a -> a.getFile() != null)
        .map(a -> a.getFile().getPath()).collect(Collectors.joining(File.pathSeparator));
    cmd.addAll(List.of("-cp", emulatorClasspath, "dev.durable.internal.cli.DurableCommand", "dev",
        "--config", config.getPath(), "--classpath", userClasspath(),
        "--port", Integer.toString(port), "--host", host));
    addFlag(cmd, "--in-memory", inMemory);
    addValue(cmd, "--state", state == null ? null : state.getPath());
    addValue(cmd, "--idle-timeout", idleTimeout);
    addValue(cmd, "--log-level", logLevel);
    addValue(cmd, "--explorer-token", explorerToken);
    addValue(cmd, "--max-body", maxBody == null ? null : maxBody.toString());
    addValue(cmd, "--sql-time-limit", sqlTimeLimit);
    addValue(cmd, "--explorer-ui", explorerUi);
    addValue(cmd, "--websocket-compress-min", websocketCompressMin);
    addFlag(cmd, "--fsync", fsync);
    addFlag(cmd, "--share-files", shareFiles);
    addFlag(cmd, "--delete-state", deleteState);
    addFlag(cmd, "--no-reload", noReload);
    return cmd;
  }

  /**
   * The project's classes and its runtime dependencies. The emulator's own jars and theirs are
   * left out: the emulator's JVM has them already, and the user's classes must see that one copy.
   */
  private String userClasspath() {
    Set<String> own = pluginArtifacts.stream().map(DevMojo::key).collect(Collectors.toSet());
    List<String> entries = new ArrayList<>();
    entries.add(classesDirectory.getPath());
    projectArtifacts.stream()
        .filter(a -> a.getFile() != null && a.getArtifactHandler().isAddedToClasspath())
        .filter(a -> !own.contains(key(a)))
        .filter(a -> Artifact.SCOPE_COMPILE.equals(a.getScope()) || Artifact.SCOPE_RUNTIME.equals(a.getScope()))
        .forEach(a -> entries.add(a.getFile().getPath()));
    return String.join(File.pathSeparator, entries);
  }

  private static String key(Artifact a) {
    return a.getGroupId() + ":" + a.getArtifactId();
  }

  private static void addValue(List<String> cmd, String option, String value) {
    if (value != null && !value.isBlank()) {
      cmd.add(option);
      cmd.add(value);
    }
  }

  private static void addFlag(List<String> cmd, String option, boolean on) {
    if (on) {
      cmd.add(option);
    }
  }
}
