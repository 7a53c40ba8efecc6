package dev.durable.samples.agent;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import dev.durable.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run survives the whole process going away: its alarm fires at the next start. */
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
  void aRunInterruptedByARestartResumesFromItsLastCheckpoint() {
    ManualClock before = ManualClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    try (DurableRuntime first = start(before)) {
      DurableObjectStub session = first.env().durableObject("AGENT").getByName("s1");
      assertThat(session.fetch(post("/agents/s1/messages",
          "{\"text\": \"fetch http://api.test/a then fetch http://api.test/b then fetch http://api.test/c\"}"))
          .status()).isEqualTo(202);
      ObjectTools.of(session).runAlarm(session); // step 1 is checkpointed, then the process stops
    }
    assertThat(fetched).containsExactly("/a");

    ManualClock after = ManualClock.startingAt(Instant.parse("2026-01-01T00:05:00Z"));
    try (DurableRuntime second = start(after)) {
      for (int moves = 0; moves < 10 && after.nextTimer().isPresent(); moves++) {
        after.advance(Duration.ZERO); // alarms due while the process was down fire at start-up
      }
      Response run = second.env().durableObject("AGENT").getByName("s1").fetch(dev.durable.Request.get("/agents/s1/runs/1"));
      assertThat(json(run)).containsEntry("status", "done");
    }
    assertThat(fetched).as("no finished step ran again").containsExactly("/a", "/b", "/c");
  }
}
