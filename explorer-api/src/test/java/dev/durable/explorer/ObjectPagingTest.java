package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paging with the opaque cursor through thousands of objects left by an earlier run. */
class ObjectPagingTest {
  private static final int OBJECTS = 2_500;

  @TempDir
  Path state;

  @Test
  void pagingWithTheCursorVisitsEveryObjectOnceInIdOrderWithItsName() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      expected.putAll(StateFiles.writeNamedObjects(first, "NOTES", OBJECTS));
    }
    int constructed = TestObjects.Notes.constructed.get();
    try (ExplorerServer s = ExplorerServer.start(state)) {
      List<String> ids = new ArrayList<>();
      Map<String, String> names = new TreeMap<>();
      String cursor = "";
      int pages = 0;
      do {
        ExplorerServer.Reply r = s.get(NS + "/app-Notes/objects?limit=1000"
            + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
        JsonNode result = r.ok();
        JsonNode info = r.json().get("result_info");
        assertThat(info.get("count").asInt()).isEqualTo(result.size());
        for (JsonNode o : result) {
          ids.add(o.get("id").asText());
          names.put(o.get("id").asText(), o.path("name").asText(null));
        }
        cursor = info.get("cursor").asText();
        if (!cursor.isEmpty()) {
          assertThat(result.size()).as("every page but the last is full").isEqualTo(1000);
        }
        pages++;
      } while (!cursor.isEmpty() && pages < 10);
      assertThat(pages).isEqualTo(3);
      assertThat(ids).as("every object once, in id order").isEqualTo(new ArrayList<>(expected.keySet()));
      assertThat(names).as("each object with its name").isEqualTo(expected);
      assertThat(TestObjects.Notes.constructed.get()).as("listing wakes no object").isEqualTo(constructed);
    }
  }

  @Test
  void theSmallestPageEndsWithACursorAtItsLastObject() throws Exception {
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      StateFiles.writeNamedObjects(first, "NOTES", 25);
    }
    try (ExplorerServer s = ExplorerServer.start(state)) {
      ExplorerServer.Reply first = s.get(NS + "/app-Notes/objects?limit=10");
      JsonNode page = first.ok();
      assertThat(page).hasSize(10);
      String cursor = first.json().at("/result_info/cursor").asText();
      assertThat(cursor).isEqualTo(page.get(9).get("id").asText());
      JsonNode next = s.get(NS + "/app-Notes/objects?limit=10&cursor=" + cursor).ok();
      assertThat(next.get(0).get("id").asText()).isGreaterThan(cursor);
      ExplorerServer.Reply last = s.get(NS + "/app-Notes/objects?limit=10&cursor="
          + next.get(9).get("id").asText());
      assertThat(last.ok()).hasSize(5);
      assertThat(last.json().at("/result_info/cursor").asText()).isEmpty();
    }
  }

  @Test
  void anObjectStoredAfterAListingShowsUpInTheNextOne() throws Exception {
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      StateFiles.writeNamedObjects(first, "NOTES", 3);
    }
    try (ExplorerServer s = ExplorerServer.start(state)) {
      Path dir = ExplorerServer.directory(s.runtime, "NOTES");
      // An old directory: its listing is cached and trusted.
      Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
      assertThat(s.get(NS + "/app-Notes/objects").ok()).hasSize(3);
      assertThat(s.get(NS + "/app-Notes/objects").ok()).hasSize(3);
      s.runtime.namespace("NOTES").getByName("newcomer", TestObjects.NotesApi.class).add("x");
      JsonNode after = s.get(NS + "/app-Notes/objects").ok();
      assertThat(after).hasSize(4);
      assertThat(after.findValuesAsText("name")).contains("newcomer");
    }
  }
}
