package dev.durable.internal.cli;

import dev.durable.internal.migration.StateMigration;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A short run the launcher makes after each build so the JVM can record which classes start-up
 * loads (class-data sharing): it starts the emulator on a free port with a project and state in a
 * temporary directory, sends two requests through the worker to one object (the first writes
 * its new file, the second opens it with SQLite) and one to the explorer, and stops. The
 * requests go over a plain socket: the JDK's HTTP client would put its own classes (and TLS's)
 * into the archive, and every start-up would load them for nothing. Measured in BENCHMARKS.md,
 * "Fourth session" and "Fifth session: what start-up spends on two cores".
 *
 * <p>Usage: {@code Training <durable.jsonc> <classes dir> <path to request>}.
 */
public final class Training {
  private Training() {}

  /** Runs the exercise; exits non-zero if the emulator does not answer. */
  public static void main(String[] args) throws Exception {
    Logging.configure("error");
    StartupWarmUp.start();
    // State on disk, as `durable dev` keeps it, in a directory of its own that goes afterwards.
    Path state = Files.createTempDirectory("durable-training");
    EmulatorOptions options = EmulatorOptions.forProject(Path.of(args[0]), List.of(Path.of(args[1])))
        .withStateDirectory(state).withLiveReload(false)
        .withServer(DevServer.Options.defaults().port(0));
    String failure = null;
    try (Emulator emulator = Emulator.start(options)) {
      URI base = URI.create(emulator.url());
      for (String path : List.of(args[2], args[2], "/cdn-cgi/explorer/api/workers/durable_objects/namespaces")) {
        String answer = post(base, path);
        if (!answer.matches("(?s)HTTP/1\\.1 [1-4]\\d\\d .*")) {
          failure = "Training request " + path + " failed: " + answer;
          break;
        }
      }
    } finally {
      StateMigration.deleteTree(state);
    }
    if (failure != null) {
      System.err.println(failure);
      System.exit(1);
    }
  }

  /** Sends a POST without a body and returns the whole answer, status line first. */
  private static String post(URI base, String path) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
