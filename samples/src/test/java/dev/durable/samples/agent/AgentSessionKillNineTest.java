package dev.durable.samples.agent;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable dev} serving the samples is killed with SIGKILL while a run waits ("wait 5
 * seconds") and started again on the same state. Nothing drives the run after the restart but
 * its persisted schedule (the test only reads it, once the wait is long over): it finishes,
 * and each of its steps appears exactly once.
 */
class AgentSessionKillNineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  @Test
  void aRunKilledDuringItsWaitFinishesAfterTheRestartWithEveryStepOnce() throws Exception {
    Path config = Files.createDirectories(dir.resolve("project")).resolve("durable.jsonc");
    Files.copy(Path.of("durable.jsonc"), config);
    Path state = dir.resolve("state");

    long waitEndsAt;
    try (DevServerProcess first = DevServerProcess.start(config, state)) {
      String text = "fetch " + first.url() + "/counter/k9 then wait 5 seconds then calculate 2 + 2";
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/agents/k9/messages"))
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new AgentSession.Post(text, null))))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      JsonNode waiting = awaitRun(first, run -> run.path("steps").size() == 2, "the run's wait step");
      waitEndsAt = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      first.kill();
      assertThat(waiting.path("status").asText()).isEqualTo("running");
    }

    try (DevServerProcess second = DevServerProcess.start(config, state)) {
      Thread.sleep(Math.max(0, Duration.ofNanos(waitEndsAt - System.nanoTime()).toMillis()) + 2_000);
      JsonNode run = awaitRun(second, r -> !r.path("status").asText().equals("running"), "the run's end");
      assertThat(run.path("status").asText()).as("run %s", run).isEqualTo("done");
      List<String> steps = new ArrayList<>();
      run.path("steps").forEach(s -> steps.add(s.path("tool").asText() + " " + s.path("input").asText()));
      assertThat(steps).as("every step exactly once").containsExactly(
          "fetch " + run.path("steps").get(0).path("input").asText(), "wait 5 seconds", "calculate 2 + 2");
      assertThat(run.path("answer").asText()).endsWith("Waited 5 seconds. 2 + 2 = 4.");
      assertThat(get(second, "/agents/k9/messages").path("messages").size())
          .as("the prompt, three steps and the answer").isEqualTo(5);
    }
  }

  private JsonNode awaitRun(DevServerProcess server, java.util.function.Predicate<JsonNode> until, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode run = get(server, "/agents/k9/runs/1");
      if (until.test(run)) {
        return run;
      }
      assertThat(System.nanoTime()).as("%s within 20 s; the run: %s; the server said:\n%s", what, run,
          String.join("\n", server.output())).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private JsonNode get(DevServerProcess server, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
