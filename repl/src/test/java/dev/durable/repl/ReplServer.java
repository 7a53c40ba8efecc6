package dev.durable.repl;

import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An emulator for the REPL's tests: a runtime binding SHOP ({@link TestObjects.Shop}) and PLAIN
 * in script {@code app}, served with the explorer on a free loopback port; and a way to run the
 * REPL against it with captured output.
 */
final class ReplServer implements AutoCloseable {
  final DurableRuntime runtime;
  final DevServer server;
  private final Path dir;

  private ReplServer(Path dir, UnaryOperator<DevServer.Options> options) {
    this.dir = dir;
    this.runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(dir.resolve("state"))
        .scriptName("app")
        .bind("SHOP", TestObjects.Shop.class).bind("PLAIN", TestObjects.Plain.class).build();
    this.server = DevServer.start(runtime, options.apply(DevServer.Options.defaults().port(0)));
  }

  static ReplServer start(Path dir) {
    return new ReplServer(dir, o -> o);
  }

  static ReplServer start(Path dir, UnaryOperator<DevServer.Options> options) {
    return new ReplServer(dir, options);
  }

  String url() {
    return server.url();
  }

  /** What a run of the REPL printed, and its exit status. */
  record Run(int status, String out, String err) {
    /** The lines of standard output. */
    List<String> lines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** Runs a script file against this server, with more options after it. */
  Run script(String script, String... options) {
    Path file = dir.resolve("script-" + System.nanoTime() + ".durable");
    try {
      Files.writeString(file, script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("--url", url(), "-f", file.toString()));
    args.addAll(List.of(options));
    return run(args, new ByteArrayInputStream(new byte[0]), Map.of());
  }

  /** Runs the REPL with standard input piped from a text. */
  Run piped(String input, String... options) {
    List<String> args = new ArrayList<>(List.of("--url", url()));
    args.addAll(List.of(options));
    return run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), Map.of());
  }

  /** Runs the REPL with these arguments, standard input and environment. */
  static Run run(List<String> args, InputStream in, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> environment = new HashMap<>(env);
    int status = ReplCommand.run(args.toArray(String[]::new), in,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        environment, null);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
  }
}
