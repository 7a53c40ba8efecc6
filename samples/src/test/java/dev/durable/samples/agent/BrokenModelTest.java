package dev.durable.samples.agent;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.samples.App;
import dev.durable.testkit.DurableObjectsExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BrokenModelTest {
  /** A session whose model fails on every call, as a real model's API might for a while. */
  public static class BrokenModelSession extends AgentSession {
    public BrokenModelSession(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    protected Model model() {
      return branch -> {
        throw new IllegalStateException("the model is unavailable");
      };
    }
  }

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("AGENT", BrokenModelSession.class)
      .worker(new App())
      .build();

  @Test
  void aFailingStepIsRetriedWithBackoffThenItsRunFailsAndLaterRunsStillGetTheirTurn() {
    dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"hello\"}"));
    dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"hello again\"}"));

    dos.clock().advance(Duration.ofSeconds(29)); // attempts at 0, 2, 6 and 14 s
    assertThat(json(dos.worker().fetch("/agents/s1/runs/1"))).containsEntry("status", "running");
    assertThat(dos.stub("AGENT", "s1")).hasRowCount("cf_agents_session_messages", 2);

    dos.clock().advance(Duration.ofSeconds(1)); // the fifth attempt, at 30 s, gives up on run 1

    assertThat(json(dos.worker().fetch("/agents/s1/runs/1"))).containsEntry("status", "failed")
        .containsEntry("error", "step 1 failed 5 times, last: the model is unavailable");
    dos.clock().advance(Duration.ofMinutes(1));
    assertThat(json(dos.worker().fetch("/agents/s1/runs/2"))).containsEntry("status", "failed");
    assertThat(dos.stub("AGENT", "s1")).hasNoAlarm().hasRowCount("cf_agents_session_messages", 2);
  }
}
