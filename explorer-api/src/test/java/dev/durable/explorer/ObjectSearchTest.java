package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data studio's additions to the object listing: search by id or name, and the live mark. */
class ObjectSearchTest {
  @TempDir
  Path state;

  @Test
  void searchListsOnlyObjectsWhoseNameContainsTheTextIgnoringCaseAndPagesThem() throws Exception {
    Map<String, String> written;
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      written = StateFiles.writeNamedObjects(first, "NOTES", 40);
    }
    try (ExplorerServer s = ExplorerServer.start(state)) {
      // o00010 .. o00019 contain "o0001"; searched in upper case.
      List<String> names = new ArrayList<>();
      String cursor = "";
      int pages = 0;
      do {
        ExplorerServer.Reply r = s.get(NS + "/app-Notes/objects?limit=10&search=O0001"
            + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
        r.ok().forEach(o -> names.add(o.get("name").asText()));
        cursor = r.json().at("/result_info/cursor").asText();
        pages++;
      } while (!cursor.isEmpty() && pages < 5);
      assertThat(names).containsExactlyInAnyOrderElementsOf(
          written.values().stream().filter(n -> n.startsWith("o0001")).toList());
      assertThat(s.get(NS + "/app-Notes/objects?search=nobody-has-this").ok()).isEmpty();
    }
  }

  @Test
  void searchFindsAnObjectByPartOfItsIdAndABlankSearchListsAll() throws Exception {
    Map<String, String> written;
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      written = StateFiles.writeNamedObjects(first, "NOTES", 12);
    }
    String id = written.keySet().iterator().next();
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode found = s.get(NS + "/app-Notes/objects?search=" + id.substring(20, 36).toUpperCase()).ok();
      assertThat(found.findValuesAsText("id")).containsExactly(id);
      assertThat(s.get(NS + "/app-Notes/objects?search=%20%20").ok()).hasSize(12);
    }
  }

  @Test
  void anObjectInMemoryIsMarkedLiveAndOneAtRestCarriesNoMark() throws Exception {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      var notes = s.runtime.namespace("NOTES");
      notes.getByName("awake", TestObjects.NotesApi.class).add("x");
      String asleep = notes.idFromName("asleep").toString();
      s.post(NS + "/app-Notes/query", "{\"durable_object_name\":\"asleep\",\"queries\":"
          + "[{\"sql\":\"CREATE TABLE t (a)\"}]}").ok();
      JsonNode listed = s.get(NS + "/app-Notes/objects").ok();
      JsonNode awake = find(listed, "awake");
      assertThat(awake.get("live").asBoolean()).as("live mark of %s", awake).isTrue();
      JsonNode rest = find(listed, "asleep");
      assertThat(rest.get("id").asText()).isEqualTo(asleep);
      assertThat(rest.has("live")).as("an object the explorer only read is not live: %s", rest).isFalse();
    }
  }

  private static JsonNode find(JsonNode listed, String name) {
    for (JsonNode o : listed) {
      if (name.equals(o.path("name").asText(null))) {
        return o;
      }
    }
    throw new AssertionError("No object named '" + name + "' in the listing " + listed);
  }
}
