package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer goes through the object's input gate: never beside a running handler. */
class GateTest {
  /** Long enough for an edit that ignored the gate to land; no duration is asserted. */
  private static final long CHANCE_TO_MISBEHAVE_MS = 300;

  @TempDir
  Path state;

  @Test
  void anEditMadeWhileTheObjectHandlesALongRequestWaitsForIt() throws Exception {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      TestObjects.NotesApi notes = s.runtime.namespace("NOTES").getByName("busy", TestObjects.NotesApi.class);
      long id = notes.add("before");
      String edit = "{\"key\":{\"id\":" + id + "},\"values\":{\"title\":\"after\"}}";
      assertWaitsForALongRequest(s, notes, id, s.request(NS + "/app-Notes/objects/name:busy/tables/notes/rows")
          .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(edit)));
      assertThat(notes.titleOf(id)).as("the edit is applied once the request is done").isEqualTo("after");
    }
  }

  @Test
  void aQueryMadeWhileTheObjectHandlesALongRequestWaitsForIt() throws Exception {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      TestObjects.NotesApi notes = s.runtime.namespace("NOTES").getByName("busy", TestObjects.NotesApi.class);
      long id = notes.add("before");
      String query = "{\"durable_object_name\":\"busy\",\"queries\":[{\"sql\":\"UPDATE notes SET title = 'after'\"}]}";
      assertWaitsForALongRequest(s, notes, id, s.request(NS + "/app-Notes/query")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)));
      assertThat(notes.titleOf(id)).isEqualTo("after");
    }
  }

  private static void assertWaitsForALongRequest(ExplorerServer s, TestObjects.NotesApi notes, long id,
      HttpRequest.Builder change) throws Exception {
    TestObjects.Notes.entered = new CountDownLatch(1);
    TestObjects.Notes.release = new CountDownLatch(1);
    CompletableFuture<String> longRequest = CompletableFuture.supplyAsync(() -> {
      try {
        return notes.holdThenRead(id);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      assertThat(TestObjects.Notes.entered.await(30, TimeUnit.SECONDS))
          .as("the long request started").isTrue();
      CompletableFuture<HttpResponse<String>> explorer =
          s.http.sendAsync(change.build(), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(CHANCE_TO_MISBEHAVE_MS);
      assertThat(explorer).as("the explorer's change must wait while a handler runs").isNotDone();
      TestObjects.Notes.release.countDown();
      assertThat(longRequest.get(30, TimeUnit.SECONDS))
          .as("the handler must not see a change made while it ran").isEqualTo("before");
      HttpResponse<String> answer = explorer.get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as("answer: %s", answer.body()).isEqualTo(200);
    } finally {
      TestObjects.Notes.release.countDown();
    }
  }
}
