package dev.durable.agents;

import dev.durable.testsupport.DevServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable dev} is killed with SIGKILL in the middle of a six-step fiber and started again
 * on the same state. Nobody calls the agent after the restart: its persisted heartbeat alarm
 * wakes it, {@code onFiberRecovered} resumes the fiber from its last committed stash, and the
 * fiber finishes with every step done exactly once (each step counts its runs in a table).
 */
class FiberKillNineTest {
  private static final int STEPS = 6;
  private static final String CONFIG = """
      {
        "name": "fibers",
        "main": "dev.durable.agents.StepFibersWorker",
        "vars": { "STEP_PAUSE_MS": "300", "HEARTBEAT_MS": "500", "PRINT": "yes" },
        "durable_objects": { "bindings": [ { "name": "STEPS", "class_name": "dev.durable.agents.StepFibers" } ] },
        "migrations": [ { "tag": "v1", "new_sqlite_classes": ["StepFibers"] } ]
      }
      """;

  @TempDir
  Path dir;

  @Test
  void aFiberKilledMidwayFinishesAfterTheRestartWithEveryStepDoneOnce() throws Exception {
    Path config = Files.createDirectories(dir.resolve("project")).resolve("durable.jsonc");
    Files.writeString(config, CONFIG);
    Path state = dir.resolve("state");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    try (DevServerProcess first = DevServerProcess.start(config, state)) {
      http.sendAsync(HttpRequest.newBuilder(URI.create(first.url() + "/steps/ada?steps=" + STEPS))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      first.awaitLine("FIBER-STEP 2"::equals, Duration.ofSeconds(30), "step 2 of the fiber");
      first.kill();
      assertThat(first.output()).as("the kill came before the fiber's end").doesNotContain("FIBER-STEP " + (STEPS - 1));
    }

    try (DevServerProcess second = DevServerProcess.start(config, state)) {
      String recovered = second.awaitLine(line -> line.startsWith("FIBER-RECOVERED"), Duration.ofSeconds(30),
          "the fiber's recovery, with no request made");
      JsonNode report = awaitFinished(http, second);

      Map<String, Integer> runs = new LinkedHashMap<>();
      report.path("steps").fields().forEachRemaining(e -> runs.put(e.getKey(), e.getValue().asInt()));
      Map<String, Integer> once = new LinkedHashMap<>();
      for (int step = 0; step < STEPS; step++) {
        once.put(Integer.toString(step), 1);
      }
      assertThat(runs).as("how often each step ran (recovered with '%s')", recovered).isEqualTo(once);
      JsonNode fiber = report.path("fibers").get(0);
      assertThat(fiber.path("recoveries").asInt()).isEqualTo(1);
      assertThat(report.path("fibers").size()).as("one fiber, resumed under its own id").isEqualTo(1);
      System.out.printf("fiber kill -9: killed after step 2 of %d, %s, finished with every step once%n",
          STEPS, recovered);
    }
  }

  private static JsonNode awaitFinished(HttpClient http, DevServerProcess server) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/steps/ada")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET /steps/ada: %s", r.body()).isEqualTo(200);
      JsonNode report = json.readTree(r.body());
      String state = report.path("fibers").path(0).path("state").asText();
      if (state.equals("FINISHED")) {
        return report;
      }
      assertThat(state).as("the fiber's state; the server said:\n%s", String.join("\n", server.output()))
          .isEqualTo("RUNNING");
      assertThat(System.nanoTime()).as("the fiber finished within 60 s; report %s", report).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
