package dev.durable.samples;

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

/**
 * {@code durable dev} serving the samples in a child JVM on this test's class path, on a port it
 * picks; {@link #kill()} is SIGKILL. Its output is kept for failure messages.
 */
public final class DevServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final String url;

  private DevServerProcess(Process process) throws InterruptedException {
    this.process = process;
    Thread.ofPlatform().daemon().name("dev-server-output").start(this::readOutput);
    this.url = awaitBanner();
  }

  /** Starts {@code durable dev} on a config and a state directory, and waits until it serves. */
  public static DevServerProcess start(Path config, Path state) throws IOException, InterruptedException {
    Path classes = Files.createDirectories(config.resolveSibling("classes")); // the classes are on the class path
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("Cannot tell which java binary runs the tests"));
    List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), "dev.durable.internal.cli.DurableCommand", "dev",
        "--config", config.toString(), "--classpath", classes.toString(), "--state", state.toString(),
        "--port", "0", "--no-reload", "--log-level", "warn");
    return new DevServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Every line printed so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** SIGKILL: nothing is committed, checkpointed or closed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("durable dev survived SIGKILL for 30 s");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private String awaitBanner() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    synchronized (output) {
      while (true) {
        for (String line : output) {
          if (line.trim().startsWith("App:")) {
            return line.trim().substring("App:".length()).trim();
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError("durable dev did not print 'App: <url>' within " + START_TIMEOUT.toSeconds()
              + " s (alive: " + process.isAlive() + "); its output:\n" + String.join("\n", output));
        }
        output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
}
