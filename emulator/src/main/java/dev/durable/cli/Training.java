package dev.durable.cli;

import dev.durable.server.DevServer;
import dev.durable.server.Emulator;
import dev.durable.server.EmulatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * A short run the launcher makes after each build so the JVM can record which classes start-up
 * loads (class-data sharing): it starts the emulator in memory on a free port with a project,
 * sends a request through the worker and one to the explorer, and stops.
 *
 * <p>Usage: {@code Training <durable.jsonc> <classes dir> <path to request>}.
 */
public final class Training {
  private Training() {}

  /** Runs the exercise; exits non-zero if the emulator does not answer. */
  public static void main(String[] args) throws Exception {
    Logging.configure("error");
    StartupWarmUp.start();
    EmulatorOptions options = EmulatorOptions.forProject(Path.of(args[0]), List.of(Path.of(args[1])))
        .withStateDirectory(null).withLiveReload(false)
        .withServer(DevServer.Options.defaults().port(0));
    try (Emulator emulator = Emulator.start(options)) {
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of(args[2], "/cdn-cgi/explorer/api/workers/durable_objects/namespaces")) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
          System.err.println("Training request " + path + " failed: " + r.statusCode() + " " + r.body());
          System.exit(1);
        }
      }
    }
  }
}
