package dev.durable.samples.workspace;

import static dev.durable.samples.Requests.delete;
import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.method;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.runtime.ObjectTools;
import dev.durable.testkit.DurableObjectsExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkspaceTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static void createThread(String workspace, String title) {
    assertThat(dos.worker().fetch(post("/workspaces/" + workspace + "/threads", "{\"title\": \"" + title + "\"}")))
        .hasStatus(201);
  }

  private static DurableObjectStub thread(String workspace, String id) {
    return dos.stub("THREAD", MessageThread.objectName(workspace, id));
  }

  @Test
  void creatingAThreadRegistersItAndCreatesItsObject() {
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", "{\"title\": \"Launch plan\"}")))
        .hasStatus(201)
        .hasJsonBody("{\"workspace\": \"acme\", \"id\": \"t1\", \"title\": \"Launch plan\","
            + " \"createdAt\": \"2026-01-01T00:00:00Z\"}");
    createThread("acme", "Hiring");

    assertThat(dos.stub("WORKSPACE", "acme")).hasRowCount("threads", 2);
    assertThat(thread("acme", "t1")).hasValue("info", Map.of("workspace", "acme", "id", "t1",
        "title", "Launch plan", "createdAt", "2026-01-01T00:00:00Z")).hasRowCount("messages", 0);
    assertThat(dos.worker().fetch("/workspaces/acme/threads")).hasStatus(200).hasJsonBody("""
        {"workspace": "acme", "threads": [
          {"workspace": "acme", "id": "t1", "title": "Launch plan", "createdAt": "2026-01-01T00:00:00Z"},
          {"workspace": "acme", "id": "t2", "title": "Hiring", "createdAt": "2026-01-01T00:00:00Z"}]}""");
  }

  @Test
  void messagesGoStraightToTheThreadWithoutWakingTheWorkspace() {
    createThread("acme", "Launch plan");
    DurableObjectStub workspace = dos.stub("WORKSPACE", "acme");
    dos.evict(workspace);

    assertThat(dos.worker().fetch(post("/workspaces/acme/threads/t1/messages",
        "{\"author\": \"ada\", \"text\": \"Ship on Friday?\"}")))
        .hasStatus(201)
        .hasJsonBody("{\"seq\": 1, \"author\": \"ada\", \"text\": \"Ship on Friday?\", \"at\": \"2026-01-01T00:00:00Z\"}");
    dos.worker().fetch(post("/workspaces/acme/threads/t1/messages", "{\"author\": \"bob\", \"text\": \"Yes\"}"));

    assertThat(ObjectTools.of(workspace).isLive(workspace)).as("the workspace was woken").isFalse();
    assertThat(thread("acme", "t1")).hasRowCount("messages", 2);
    assertThat(list(json(dos.worker().fetch("/workspaces/acme/threads/t1/messages")), "messages"))
        .extracting(m -> m.get("author") + ": " + m.get("text"))
        .containsExactly("ada: Ship on Friday?", "bob: Yes");
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t1")).hasJsonBody("{\"workspace\": \"acme\","
        + " \"id\": \"t1\", \"title\": \"Launch plan\", \"createdAt\": \"2026-01-01T00:00:00Z\", \"messages\": 2}");
  }

  @Test
  void threadsOfOneWorkspaceAreInvisibleFromAnother() {
    createThread("acme", "Secret");
    assertThat(dos.worker().fetch(post("/workspaces/other/threads/t1/messages",
        "{\"author\": \"eve\", \"text\": \"hi\"}")))
        .hasStatus(404)
        .hasJsonBody("{\"error\": \"No thread t1 in workspace other; list them with GET /workspaces/other/threads\"}");
    assertThat(dos.snapshot(thread("other", "t1")).isEmpty()).as("a stray request stores nothing").isTrue();
  }

  @Test
  void deletingAThreadDeletesItsMessagesAndItsRegistryRow() {
    createThread("acme", "One");
    createThread("acme", "Two");
    dos.worker().fetch(post("/workspaces/acme/threads/t1/messages", "{\"author\": \"ada\", \"text\": \"hi\"}"));

    assertThat(dos.worker().fetch(delete("/workspaces/acme/threads/t1"))).hasStatus(200)
        .hasJsonBody("{\"deleted\": \"t1\"}");

    assertThat(dos.snapshot(thread("acme", "t1")).isEmpty()).isTrue();
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t1")).hasStatus(404);
    assertThat(list(json(dos.worker().fetch("/workspaces/acme/threads")), "threads"))
        .extracting(t -> t.get("id")).containsExactly("t2");
    assertThat(dos.worker().fetch(delete("/workspaces/acme/threads/t1"))).hasStatus(404);
  }

  @Test
  void threadIdsAreNeverReusedWhileTheWorkspaceLives() {
    createThread("acme", "One");
    createThread("acme", "Two");
    dos.worker().fetch(delete("/workspaces/acme/threads/t2"));
    createThread("acme", "Three");
    assertThat(list(json(dos.worker().fetch("/workspaces/acme/threads")), "threads"))
        .extracting(t -> t.get("id")).containsExactly("t1", "t3");
  }

  @Test
  void deletingTheWorkspaceDeletesEveryThreadAndLeavesNothing() {
    createThread("acme", "One");
    createThread("acme", "Two");
    createThread("acme", "Three");
    dos.worker().fetch(post("/workspaces/acme/threads/t2/messages", "{\"author\": \"ada\", \"text\": \"hi\"}"));

    assertThat(dos.worker().fetch(delete("/workspaces/acme"))).hasStatus(200)
        .hasJsonBody("{\"workspace\": \"acme\", \"deletedThreads\": 3}");

    for (String id : new String[] {"t1", "t2", "t3"}) {
      assertThat(dos.snapshot(thread("acme", id)).isEmpty()).as("thread %s is empty", id).isTrue();
    }
    assertThat(dos.snapshot(dos.stub("WORKSPACE", "acme")).isEmpty()).isTrue();
    assertThat(dos.worker().fetch("/workspaces/acme/threads")).hasJsonBody("{\"workspace\": \"acme\", \"threads\": []}");
  }

  @Test
  void aWorkspaceDeletedAndUsedAgainStartsFromT1() {
    createThread("acme", "Old");
    dos.worker().fetch(delete("/workspaces/acme"));
    createThread("acme", "New");
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t1")).hasStatus(200)
        .satisfies(r -> assertThat(json(r)).containsEntry("title", "New").containsEntry("messages", 0));
  }

  @Test
  void aThreadThatFailsToBeCreatedIsNotKept() {
    dos.failNextCommit(thread("acme", "t1"));

    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", "{\"title\": \"Doomed\"}"))).hasStatus(503)
        .satisfies(r -> assertThat(json(r).get("error")).asString()
            .startsWith("Could not create thread t1 in acme").endsWith("nothing was kept, try again"));

    assertThat(dos.worker().fetch("/workspaces/acme/threads")).hasJsonBody("{\"workspace\": \"acme\", \"threads\": []}");
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t1")).hasStatus(404);
    createThread("acme", "Second try");
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t2")).hasStatus(200);
  }

  @Test
  void aDeletionThatFailsHalfWayKeepsTheRestListedAndDeletingAgainFinishes() {
    createThread("acme", "One");
    createThread("acme", "Two");
    createThread("acme", "Three");
    dos.failNextCommit(thread("acme", "t2"));

    assertThat(dos.worker().fetch(delete("/workspaces/acme"))).hasStatus(503)
        .satisfies(r -> assertThat(json(r).get("error")).asString()
            .startsWith("Deleted 1 thread(s) of acme, then t2 failed")
            .endsWith("2 thread(s) remain listed, DELETE again to finish"));
    assertThat(list(json(dos.worker().fetch("/workspaces/acme/threads")), "threads"))
        .extracting(t -> t.get("id")).containsExactly("t2", "t3");
    assertThat(dos.snapshot(thread("acme", "t1")).isEmpty()).isTrue();
    assertThat(dos.worker().fetch("/workspaces/acme/threads/t3")).hasStatus(200);

    assertThat(dos.worker().fetch(delete("/workspaces/acme"))).hasStatus(200)
        .hasJsonBody("{\"workspace\": \"acme\", \"deletedThreads\": 2}");
    assertThat(dos.snapshot(thread("acme", "t2")).isEmpty()).isTrue();
    assertThat(dos.snapshot(thread("acme", "t3")).isEmpty()).isTrue();
  }

  @Test
  void creatingAThreadNeedsATitle() {
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", ""))).hasStatus(400)
        .hasJsonBody("{\"error\": \"Send a JSON body like {\\\"title\\\": \\\"Launch plan\\\"}\"}");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", "{}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"title\\\" is missing or empty; send {\\\"title\\\": \\\"Launch plan\\\"}\"}");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", "{\"title\": \"" + "x".repeat(201) + "\"}")))
        .hasStatus(400).hasJsonBody("{\"error\": \"\\\"title\\\" has 201 characters; the limit is 200\"}");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads", "{title"))).hasStatus(400)
        .satisfies(r -> assertThat(json(r).get("error")).asString().startsWith("The body is not the JSON expected ("));
    assertThat(dos.worker().fetch("/workspaces/acme/threads")).hasJsonBody("{\"workspace\": \"acme\", \"threads\": []}");
  }

  @Test
  void postingAMessageNeedsAnAuthorAndText() {
    createThread("acme", "One");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads/t1/messages", "{\"text\": \"hi\"}")))
        .hasStatus(400).hasJsonBody("{\"error\": \"author is missing or empty\"}");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads/t1/messages", "{\"author\": \"ada\"}")))
        .hasStatus(400).hasJsonBody("{\"error\": \"\\\"text\\\" is missing or empty; send"
            + " {\\\"author\\\": \\\"ada\\\", \\\"text\\\": \\\"Hello\\\"}\"}");
    assertThat(dos.worker().fetch(post("/workspaces/acme/threads/t1/messages", "[1, 2]"))).hasStatus(400);
    assertThat(thread("acme", "t1")).hasRowCount("messages", 0);
  }

  @Test
  void unknownRoutesAndMethodsAreRefusedNamingWhatWorks() {
    assertThat(dos.worker().fetch("/workspaces/acme")).hasStatus(405)
        .satisfies(r -> assertThat(r.header("allow")).contains("DELETE"));
    assertThat(dos.worker().fetch(method("PUT", "/workspaces/acme/threads"))).hasStatus(405)
        .satisfies(r -> assertThat(r.header("allow")).contains("GET, POST"));
    assertThat(dos.worker().fetch("/workspaces/acme/projects")).hasStatus(404);
    assertThat(dos.worker().fetch(delete("/workspaces/acme/threads/first"))).hasStatus(404)
        .hasJsonBody("{\"error\": \"No thread first; thread ids look like t1, t2, ...\"}");
    assertThat(dos.worker().fetch(method("PATCH", "/workspaces/acme/threads/t1/messages"))).hasStatus(404);
  }
}
