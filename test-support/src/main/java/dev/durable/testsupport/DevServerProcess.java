package dev.durable.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code durable dev} running in a child JVM, as a user runs it: the test's own class path (which
 * holds the emulator, and the test's objects) and {@code dev.durable.internal.cli.DurableCommand}
 * as the main class. The child listens on a free port it picks itself ({@code --port 0}); the URL
 * is read off its banner. Its output is kept, so a test can wait for lines its objects print.
 * {@link #kill()} sends SIGKILL, the crash the process tests are about.
 */
public final class DevServerProcess implements AutoCloseable {
  private static final Pattern APP_LINE = Pattern.compile("^\\s*App:\\s+(http://\\S+)\\s*$");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final String url;

  private DevServerProcess(Process process) throws InterruptedException {
    this.process = process;
    Thread.ofPlatform().daemon().name("emulator-output").start(this::readOutput);
    try {
      String app = awaitLine(line -> APP_LINE.matcher(line).matches(), START_TIMEOUT,
          "the 'App: <url>' line");
      this.url = app.trim().substring("App:".length()).trim();
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Starts {@code durable dev} on a project and state directory and waits until it serves.
   *
   * @param extraArgs more options, e.g. {@code --idle-timeout 100ms}
   */
  public static DevServerProcess start(Path config, Path classes, Path state, String... extraArgs)
      throws IOException, InterruptedException {
    List<String> command = command(List.of("-Xmx256m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")),
        "dev", "--config", config.toString(), "--classpath", classes.toString(),
        "--state", state.toString(), "--port", "0", "--no-reload", "--log-level", "warn");
    command.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new DevServerProcess(p);
  }

  /**
   * Starts {@code durable dev} on a config whose classes are already on the test's class path (an
   * empty {@code classes} directory beside the config stands for the project's own).
   */
  public static DevServerProcess start(Path config, Path state) throws IOException, InterruptedException {
    return start(config, Files.createDirectories(config.resolveSibling("classes")), state);
  }

  /** Runs {@code durable dev} with the arguments and returns its exit status and output. */
  public static Finished runToExit(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = command(List.of("-Xmx128m"), args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("durable " + String.join(" ", args) + " did not exit within "
          + timeout + "; output so far:\n" + out);
    }
    return new Finished(p.exitValue(), out);
  }

  /** How a run that ended went. */
  public record Finished(int status, String output) {}

  /** The java binary running the tests, with these JVM options, on their class path, running {@code durable}. */
  private static List<String> command(List<String> jvmOptions, String... args) {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("Cannot tell which java binary runs the tests"));
    List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.durable.internal.cli.DurableCommand"));
    command.addAll(List.of(args));
    return command;
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          output.add(line);
          output.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process died: what it printed so far stays in output.
    } finally {
      synchronized (output) {
        output.notifyAll();
      }
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Waits for a line of output matching the predicate; fails with the output if none comes. */
  public String awaitLine(Predicate<String> matching, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (output) {
      while (true) {
        for (String line : output) {
          if (matching.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError("Expected " + what + " from durable dev within " + timeout.toSeconds()
              + " s (alive: " + process.isAlive() + "); its output:\n" + String.join("\n", output));
        }
        output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** Every line printed so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** SIGKILL: the process gets no chance to commit, checkpoint or close anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("durable dev survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM, as Ctrl-C: a graceful stop; returns the exit status. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("durable dev did not stop within 60 s of SIGTERM; output:\n"
          + String.join("\n", output()));
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
