package dev.durable.samples.agent;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import dev.durable.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run survives the whole process going away while it waits: the runtime is closed during a
 * {@code wait} step and started again later on the same state, and the run's persisted schedule
 * alone finishes it, each step once.
 */
class AgentSessionRestartTest {
  @TempDir
  Path state;
  private final List<String> fetched = new CopyOnWriteArrayList<>();

  private DurableRuntime start(ManualClock clock) {
    return DurableRuntime.builder()
        .scriptName("samples")
        .bind("AGENT", AgentSession.class)
        .stateDirectory(state)
        .clock(clock)
        .idleTimeout(Duration.ZERO)
        .outboundFetch(request -> {
          fetched.add(request.url().getPath());
          return Response.text("ok");
        })
        .build();
  }

  @Test
  void aRunWaitingWhenTheRuntimeStopsFinishesAfterTheRestartWithEveryStepOnce() {
    ManualClock before = ManualClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    try (DurableRuntime first = start(before)) {
      DurableObjectStub session = first.env().durableObject("AGENT").getByName("s1");
      assertThat(session.fetch(post("/agents/s1/messages",
          "{\"text\": \"fetch http://api.test/a then wait 30 seconds then fetch http://api.test/b\"}"))
          .status()).isEqualTo(202);
      before.advance(Duration.ZERO); // the run fetches /a, then waits on its schedule; the process stops
      assertThat(json(session.fetch(Request.get("/agents/s1/runs/1")))).containsEntry("status", "running");
    }
    assertThat(fetched).containsExactly("/a");

    ManualClock after = ManualClock.startingAt(Instant.parse("2026-01-01T00:05:00Z"));
    try (DurableRuntime second = start(after)) {
      after.advance(Duration.ZERO); // the schedule came due while the process was down: it fires at start-up
      Map<String, Object> run = json(second.env().durableObject("AGENT").getByName("s1")
          .fetch(Request.get("/agents/s1/runs/1")));
      assertThat(run).containsEntry("status", "done");
      assertThat(list(run, "steps")).extracting(s -> s.get("tool")).containsExactly("fetch", "wait", "fetch");
    }
    assertThat(fetched).as("no finished step ran again").containsExactly("/a", "/b");
  }
}
