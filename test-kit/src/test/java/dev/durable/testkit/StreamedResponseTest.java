package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.testkit.fixtures.Run;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamedResponseTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("RUN", Run.class).build();

  @Test
  void aRunsEventsArriveOneByOneAsItsAlarmsRunAndTheStreamEndsWithDone() {
    DurableObjectStub run = dos.stub("RUN", "live");
    StreamedResponse events = StreamedResponse.of(run.fetch(Request.get("/events")));
    run.fetch(Request.builder("POST", "/start").build());
    for (int i = 1; i <= Run.STEPS; i++) {
      dos.runAlarm(run);
      assertThat(events.nextEvent(WAIT)).isEqualTo(new ServerSentEvent("step", "step " + i, Integer.toString(i)));
    }
    assertThat(events.nextEvent(WAIT)).isEqualTo(new ServerSentEvent("done", "", null));
    events.assertEnds(WAIT);
  }

  @Test
  void aFinishedRunReplaysItsStoredStepsThenEnds() {
    DurableObjectStub run = dos.stub("RUN", "finished");
    run.fetch(Request.builder("POST", "/start").build());
    while (dos.runAlarm(run)) {
      // all three steps
    }
    String replay = StreamedResponse.of(run.fetch(Request.get("/events"))).collect(WAIT);
    assertThat(replay).isEqualTo("event: step\ndata: step 1\n\nevent: step\ndata: step 2\n\n"
        + "event: step\ndata: step 3\n\nevent: done\ndata: \n\n");
  }

  @Test
  void anEventSentByATurnWhoseCommitFailsNeverReachesTheClient() {
    DurableObjectStub run = dos.stub("RUN", "gated");
    StreamedResponse events = StreamedResponse.of(run.fetch(Request.get("/events")));
    run.fetch(Request.builder("POST", "/start").build());
    dos.failNextCommit(run);
    dos.runAlarm(run);
    assertThatThrownBy(() -> events.nextEvent(Duration.ofMillis(200)))
        .as("the step of the failed commit is held by the output gate and dropped")
        .isInstanceOf(AssertionError.class).hasMessageContaining("none came");
  }

  @Test
  void aProducedBodyIsCollectedToItsEnd() {
    DurableObjectStub run = dos.stub("RUN", "tokens");
    assertThat(StreamedResponse.of(run.fetch(Request.get("/tokens?n=4"))).collect(WAIT))
        .isEqualTo("word0 word1 word2 word3 ");
    assertThat(run.fetch(Request.get("/tokens?n=2"))).as("read whole, as bytes").hasBody("word0 word1 ");
  }

  @Test
  void waitingForAnEventThatNeverComesFailsWithWhatCameSoFar() {
    DurableObjectStub run = dos.stub("RUN", "quiet");
    StreamedResponse events = StreamedResponse.of(run.fetch(Request.get("/events")));
    assertThatThrownBy(() -> events.nextEvent(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected a server-sent event within PT0.1S, but none came; received so far: ''");
    events.close();
  }
}
