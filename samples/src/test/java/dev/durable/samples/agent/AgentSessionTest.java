package dev.durable.samples.agent;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.method;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.testkit.DurableObjectsExtension;
import dev.durable.testkit.ServerSentEvent;
import dev.durable.testkit.StreamedResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentSessionTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static final Duration WAIT = Duration.ofSeconds(5);

  private static DurableObjectStub session() {
    return dos.stub("AGENT", "s1");
  }

  private static Map<String, Object> say(String text) {
    Response r = dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"" + text + "\"}"));
    assertThat(r).hasStatus(202);
    return json(r);
  }

  private static Map<String, Object> run(long id) {
    Response r = dos.worker().fetch("/agents/s1/runs/" + id);
    assertThat(r).hasStatus(200);
    return json(r);
  }

  /**
   * Runs every schedule that is due now. The manual clock runs a timer due now only on its next
   * move, so this moves it by zero until nothing is due.
   */
  private static void runDueSteps() {
    for (int moves = 0; dos.clock().nextTimer().filter(t -> !t.isAfter(dos.clock().instant())).isPresent(); moves++) {
      assertThat(moves).as("steps still due after %s moves", moves).isLessThan(50);
      dos.clock().advance(Duration.ZERO);
    }
  }

  /** The GET requests the fetch tool made, as "url key". */
  private static List<String> fetches() {
    return dos.fetchMock().requests().stream()
        .map(r -> r.url().getPath() + " " + r.header("idempotency-key").orElse("-").replaceAll("@.*", ""))
        .toList();
  }

  /** The session's fibers, oldest first, as "name STATE". */
  private static List<String> fibers() {
    return dos.callInDurableObject(session(), (AgentSession a, DurableObjectState s) -> a.listFibers()).stream()
        .map(f -> f.name() + " " + f.state()).toList();
  }

  private static void apiAnswers() {
    dos.fetchMock().on("GET", "http://api.test/*").reply(r -> Response.text("page " + r.url().getPath()));
  }

  @Test
  void postingAMessageStoresItAndStartsARunOnTheAlarm() {
    Map<String, Object> posted = say("I'm planning a trip to Lisbon in May.");

    assertThat(posted).isEqualTo(json(Response.builder(200).body("""
        {"message": {"id": 1, "role": "user", "content": "I'm planning a trip to Lisbon in May.", "runId": 1,
                     "createdAt": "2026-01-01T00:00:00Z"},
         "run": {"id": 1, "status": "running", "promptId": 1, "steps": []}}""").build()));
    assertThat(session()).hasAlarmAt(Instant.parse("2026-01-01T00:00:00Z"))
        .hasRowCount("cf_agents_session_messages", 1);

    runDueSteps();

    assertThat(run(1)).containsEntry("status", "done").containsEntry("answerId", 2)
        .containsEntry("answer", "Noted: I'm planning a trip to Lisbon in May.");
    assertThat(session()).hasNoAlarm();
  }

  @Test
  void aRunTakesOneStepPerToolThenAnswers() {
    say("I'm planning a trip to Lisbon in May.");
    runDueSteps();
    say("What is 12 * 7? Then search for lisbon.");
    runDueSteps();

    Map<String, Object> run = run(2);
    assertThat(run).containsEntry("status", "done").containsEntry("promptId", 3)
        .containsEntry("answer", "12 * 7 = 84. Earlier messages about lisbon: #1 I'm planning a trip to [Lisbon]"
            + " in May. | #2 Noted: I'm planning a trip to [Lisbon] in May.");
    assertThat(list(run, "steps")).extracting(s -> s.get("tool") + "(" + s.get("input") + ") -> " + s.get("output"))
        .containsExactly("calculate(12 * 7) -> 12 * 7 = 84.",
            "search(lisbon) -> Earlier messages about lisbon: #1 I'm planning a trip to [Lisbon] in May."
                + " | #2 Noted: I'm planning a trip to [Lisbon] in May.");
    assertThat(list(json(dos.worker().fetch("/agents/s1/messages/6")), "branch"))
        .extracting(m -> m.get("id") + " " + m.get("role"))
        .containsExactly("1 user", "2 assistant", "3 user", "4 tool", "5 tool", "6 assistant");
  }

  @Test
  void aRunIsOneFiberThatFetchesEachPageOnceUnderItsStepsIdempotencyKey() {
    apiAnswers();
    say("fetch http://api.test/a then fetch http://api.test/b");

    runDueSteps();

    assertThat(run(1)).containsEntry("status", "done")
        .containsEntry("answer", "GET http://api.test/a answered 200: page /a. GET http://api.test/b answered 200: page /b.");
    assertThat(fetches()).containsExactly("/a run-1-step-1", "/b run-1-step-2");
    assertThat(fibers()).containsExactly("run-1 FINISHED");
    assertThat(session()).hasNoAlarm();
  }

  @Test
  void aCrashMidRunResumesFromTheLastStashWithoutRedoingFinishedSteps() {
    dos.fetchMock().on("GET", "http://api.test/*").reply(r -> {
      if (r.url().getPath().equals("/b") && fetches().size() == 2) {
        dos.failNextCommit(session()); // the commit of step 2, before step 3 fetches, fails
      }
      return Response.text("page " + r.url().getPath());
    });
    say("fetch http://api.test/a then fetch http://api.test/b then fetch http://api.test/c");

    runDueSteps();
    assertThat(list(run(1), "steps")).as("step 2 was not kept").hasSize(1);
    assertThat(fibers()).as("the interrupted fiber, to be recovered").containsExactly("run-1 RUNNING");

    dos.clock().advance(Duration.ofSeconds(2)); // the alarm is delivered again and recovers the fiber
    runDueSteps();

    assertThat(run(1)).containsEntry("status", "done");
    assertThat(list(run(1), "steps")).extracting(s -> s.get("input"))
        .containsExactly("http://api.test/a", "http://api.test/b", "http://api.test/c");
    assertThat(fetches()).as("only the step in flight ran twice, under the same idempotency key")
        .containsExactly("/a run-1-step-1", "/b run-1-step-2", "/b run-1-step-2", "/c run-1-step-3");
    assertThat(fibers()).containsExactly("run-1 FINISHED");
    assertThat(list(json(dos.worker().fetch("/agents/s1/messages")), "messages")).hasSize(5);
  }

  @Test
  void aWaitIsADurableScheduleListedAsAStepAndTheRunGoesOnWhenItIsDue() {
    say("wait 5 seconds then what is 2 + 2");
    runDueSteps();

    assertThat(run(1)).containsEntry("status", "running");
    assertThat(list(run(1), "steps")).containsExactly(
        Map.of("tool", "wait", "input", "5 seconds", "output", "Waited 5 seconds."));
    assertThat(fibers()).as("no fiber runs while the run waits").containsExactly("run-1 FINISHED");
    assertThat(session()).hasAlarmAt(Instant.parse("2026-01-01T00:00:05Z"));

    dos.clock().advance(Duration.ofSeconds(4));
    assertThat(run(1)).containsEntry("status", "running");
    dos.clock().advance(Duration.ofSeconds(1));

    assertThat(run(1)).containsEntry("status", "done").containsEntry("answer", "Waited 5 seconds. 2 + 2 = 4.");
    assertThat(list(run(1), "steps")).extracting(s -> s.get("tool")).containsExactly("wait", "calculate");
    assertThat(fibers()).containsExactly("run-1 FINISHED", "run-1 FINISHED");
  }

  @Test
  void aWaitOutsideOneToSixtySecondsIsAStepThatSaysSoWithoutWaiting() {
    say("wait 90 seconds then 1 + 1");
    runDueSteps();
    assertThat(run(1)).containsEntry("status", "done")
        .containsEntry("answer", "wait takes 1 to 60 seconds, not '90 seconds'. 1 + 1 = 2.");
  }

  @Test
  void anEvictionMidRunEndsTheOldInstanceAtItsNextWaitAndTheNextOneResumesTheRun() {
    dos.fetchMock().on("GET", "http://api.test/*").reply(r -> {
      if (r.url().getPath().equals("/b") && fetches().size() == 2) {
        dos.evict(session()); // while step 2 fetches: its output and stash are never committed
      }
      return Response.text("page " + r.url().getPath());
    });
    say("fetch http://api.test/a then fetch http://api.test/b then fetch http://api.test/c");

    runDueSteps();
    assertThat(run(1)).as("the next instance recovers the fiber in its alarm").containsEntry("status", "running");
    runDueSteps();

    assertThat(run(1)).containsEntry("status", "done");
    assertThat(fetches()).containsExactly("/a run-1-step-1", "/b run-1-step-2", "/b run-1-step-2", "/c run-1-step-3");
    assertThat(fibers()).containsExactly("run-1 FINISHED");
  }

  @Test
  void aRunWhoseStepDiesWithItsInstanceEveryTimeFailsOnceItsFiberIsGivenUp() {
    dos.fetchMock().on("GET", "http://api.test/*").reply(r -> {
      if (r.url().getPath().equals("/b")) {
        dos.evict(session()); // every attempt of step 2 ends with its instance
      }
      return Response.text("page " + r.url().getPath());
    });
    say("fetch http://api.test/a then fetch http://api.test/b");
    runDueSteps();
    for (int beat = 0; beat < 8; beat++) {
      dos.clock().advance(Duration.ofSeconds(30)); // recoveries are tried a heartbeat apart
    }

    assertThat(run(1)).containsEntry("status", "failed");
    assertThat(run(1)).containsEntry("error", "the run was interrupted 5 times while it worked on step 2");
    assertThat(fibers()).containsExactly("run-1 FAILED");
  }

  @Test
  void anEvictionDuringAWaitLosesNothing() {
    apiAnswers();
    say("fetch http://api.test/a then wait 10 seconds then fetch http://api.test/b");
    runDueSteps();
    dos.evict(session());

    dos.clock().advance(Duration.ofSeconds(10));

    assertThat(run(1)).containsEntry("status", "done");
    assertThat(fetches()).containsExactly("/a run-1-step-1", "/b run-1-step-3");
  }

  @Test
  void aRunsEventsArriveAsItsStepsHappenAndEndWithDoneAndAFinishedRunReplaysThem() {
    say("What is 1 + 1? Then wait 5 seconds. Then what is 2 + 2?");
    runDueSteps();
    StreamedResponse events = StreamedResponse.of(dos.worker().fetch("/agents/s1/runs/1/events"));
    assertThat(events.nextEvent(WAIT)).isEqualTo(new ServerSentEvent("step",
        "{\"tool\":\"calculate\",\"input\":\"1 + 1\",\"output\":\"1 + 1 = 2.\"}", null));
    assertThat(events.nextEvent(WAIT).data()).contains("\"tool\":\"wait\"");

    dos.clock().advance(Duration.ofSeconds(5));

    assertThat(events.nextEvent(WAIT).data()).contains("\"input\":\"2 + 2\"");
    assertThat(events.nextEvent(WAIT)).isEqualTo(new ServerSentEvent("answer",
        "{\"answerId\":5,\"answer\":\"1 + 1 = 2. Waited 5 seconds. 2 + 2 = 4.\"}", null));
    ServerSentEvent done = events.nextEvent(WAIT);
    assertThat(done.event()).isEqualTo("done");
    assertThat(done.data()).startsWith("{\"id\":1,\"status\":\"done\",\"promptId\":1,\"steps\":[");
    events.assertEnds(WAIT);

    String replay = StreamedResponse.of(dos.worker().fetch("/agents/s1/runs/1/events")).collect(WAIT);
    assertThat(replay.lines().filter(l -> l.startsWith("event: ")))
        .containsExactly("event: step", "event: step", "event: step", "event: answer", "event: done");
  }

  @Test
  void theResearcherSubAgentKeepsTheAnswersInItsOwnStorageAndSummarizesThem() {
    say("I'm planning a trip to Lisbon in May.");
    say("What is 3 * 4?");
    runDueSteps();
    say("research lisbon. Then research porto");
    runDueSteps();

    assertThat(list(run(3), "steps")).extracting(s -> s.get("output")).containsExactly(
        "Notes on lisbon: Noted: I'm planning a trip to [Lisbon] in May. (run 1)", "No notes on porto yet.");
    DurableObjectStub researcher = dos.facet(session(), "researcher");
    assertThat(researcher).as("three answers noted in the child's own SQLite")
        .hasRowCount("cf_agents_session_messages", 3);
    assertThat(session()).hasRowCount("cf_agents_session_messages", 9);
  }

  @Test
  void runsOfSeveralMessagesAreWorkedOffOldestFirst() {
    say("What is 1 + 1?");
    say("What is 2 * 3?");
    runDueSteps();
    assertThat(run(1)).containsEntry("answer", "1 + 1 = 2.");
    assertThat(run(2)).containsEntry("answer", "2 * 3 = 6.");
    assertThat(list(json(dos.worker().fetch("/agents/s1/messages")), "messages"))
        .extracting(m -> m.get("id") + "<-" + m.get("parentId") + " " + m.get("role") + " run " + m.get("runId"))
        .containsExactly("1<-null user run 1", "2<-1 user run 2", "3<-1 tool run 1", "4<-3 assistant run 1",
            "5<-2 tool run 2", "6<-5 assistant run 2");
  }

  @Test
  void aMessageUnderAnEarlierOneForksTheConversation() {
    say("I'm planning a trip to Lisbon in May.");
    runDueSteps();
    say("What is 3 * 4?");
    runDueSteps();

    Response fork = dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"Actually, Porto in June.\", \"parentId\": 2}"));
    assertThat(fork).hasStatus(202);
    assertThat(json(fork).get("message")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("id", 6).containsEntry("parentId", 2);
    runDueSteps();

    Map<String, Object> atTwo = json(dos.worker().fetch("/agents/s1/messages/2"));
    assertThat(atTwo.get("children")).isEqualTo(List.of(3, 6));
    assertThat(list(json(dos.worker().fetch("/agents/s1/messages/7")), "branch"))
        .extracting(m -> m.get("content"))
        .containsExactly("I'm planning a trip to Lisbon in May.", "Noted: I'm planning a trip to Lisbon in May.",
            "Actually, Porto in June.", "Noted: Actually, Porto in June.");
  }

  @Test
  void searchFindsEarlierMessagesWithFullTextSearch() {
    say("I'm planning a trip to Lisbon in May.");
    say("Book the train to Porto.");
    runDueSteps();

    assertThat(dos.worker().fetch("/agents/s1/search?q=lisbon")).hasStatus(200).hasJsonBody("""
        {"query": "lisbon", "matches": [
          {"id": 1, "role": "user", "snippet": "I'm planning a trip to [Lisbon] in May."},
          {"id": 3, "role": "assistant", "snippet": "Noted: I'm planning a trip to [Lisbon] in May."}]}""");
    assertThat(list(json(dos.worker().fetch("/agents/s1/search?q=TRAIN")), "matches")).extracting(m -> m.get("id"))
        .containsExactly(2, 4);
  }

  @Test
  void searchTakesFts5OperatorsAsPlainWords() {
    say("Lisbon OR Porto?");
    runDueSteps();
    String tricky = URLEncoder.encode("\"porto\" OR (lis* AND", StandardCharsets.UTF_8);
    assertThat(dos.worker().fetch("/agents/s1/search?q=" + tricky)).hasStatus(200)
        .satisfies(r -> assertThat(list(json(r), "matches")).isEmpty());
    assertThat(list(json(dos.worker().fetch("/agents/s1/search?q=porto%20OR")), "matches")).hasSize(2);
  }

  @Test
  void aRunThatNeverAnswersIsStoppedAfterEightSteps() {
    say("1 + 1; 2 + 2; 3 + 3; 4 + 4; 5 + 5; 6 + 6; 7 + 7; 8 + 8; 9 + 9");
    runDueSteps();
    assertThat(run(1)).containsEntry("status", "failed").containsEntry("error", "no answer after 8 steps");
    assertThat(list(run(1), "steps")).hasSize(8);
    assertThat(session()).hasNoAlarm();
  }

  @Test
  void badMessagesAre400AndKeepNothing() {
    assertThat(dos.worker().fetch(post("/agents/s1/messages", "{}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"text\\\" is missing or empty; send {\\\"text\\\": \\\"What is 12 * 7?\\\"}\"}");
    assertThat(dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"hi\", \"parentId\": 9}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"parentId\\\" 9 is not a message of this session; leave it out to continue"
            + " from the newest message\"}");
    assertThat(dos.worker().fetch(post("/agents/s1/messages", "{\"text\": \"" + "x".repeat(10_001) + "\"}")))
        .hasStatus(400);
    assertThat(dos.worker().fetch(post("/agents/s1/messages", "{\"text\": 12, \"parentId\": \"one\"}")))
        .hasStatus(400);
    assertThat(session()).hasRowCount("runs", 0).hasNoAlarm();
    assertThat(list(json(dos.worker().fetch("/agents/s1/messages")), "messages")).isEmpty();
  }

  @Test
  void unknownRunsMessagesAndRoutesAreNamed() {
    assertThat(dos.worker().fetch("/agents/s1/runs/7")).hasStatus(404)
        .hasJsonBody("{\"error\": \"No run 7 in this session\"}");
    assertThat(dos.worker().fetch("/agents/s1/runs/latest")).hasStatus(404)
        .hasJsonBody("{\"error\": \"No run 'latest'; run ids are numbers\"}");
    assertThat(dos.worker().fetch("/agents/s1/messages/3")).hasStatus(404);
    assertThat(dos.worker().fetch("/agents/s1/search")).hasStatus(400);
    assertThat(dos.worker().fetch("/agents/s1/search?q=%3F%3F")).hasStatus(400);
    assertThat(dos.worker().fetch(post("/agents/s1/runs/1", "{}"))).hasStatus(405);
    assertThat(dos.worker().fetch(method("DELETE", "/agents/s1/messages"))).hasStatus(405);
    assertThat(dos.worker().fetch("/agents/s1/summary")).hasStatus(404);
    assertThat(dos.worker().fetch("/agents/s1/runs/7/events")).hasStatus(404);
    assertThat(dos.worker().fetch(Request.get("/agents/s1"))).hasStatus(404);
  }
}
