package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session routes Miniflare's Local Explorer UI calls: workers and observability. */
class LocalRoutesTest {
  @TempDir
  Path state;

  @Test
  void workersListThisServersBindingsAsMiniflareDoes() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      for (String base : new String[] {"/cdn-cgi/explorer/api", "/cdn-cgi/local/explorer/api"}) {
        assertThat(s.get(base + "/local/workers").text()).as(base).isEqualTo(
            "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[{\"isSelf\":true,\"name\":\"app\","
            + "\"bindings\":{\"do\":["
            + "{\"id\":\"app-Notes\",\"bindingName\":\"NOTES\",\"className\":\"Notes\",\"scriptName\":\"app\",\"useSqlite\":true},"
            + "{\"id\":\"app-Plain\",\"bindingName\":\"PLAIN\",\"className\":\"Plain\",\"scriptName\":\"app\",\"useSqlite\":true}],"
            + "\"kv\":[],\"d1\":[],\"r2\":[],\"workflows\":[]}}]}");
      }
    }
  }

  /** Another class called Notes, as a second package would have. */
  static final class Elsewhere {
    public static class Notes extends DurableObject {
      public Notes(DurableObjectState ctx, Env env) {
        super(ctx, env);
      }
    }
  }

  @Test
  void twoBindingsWhoseClassesShareASimpleNameAreTwoNamespacesAUiCanTellApart() {
    DurableRuntime runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(state)
        .bind("NOTES", TestObjects.Notes.class).bind("OTHER_NOTES", Elsewhere.Notes.class).build();
    try (ExplorerServer s = ExplorerServer.start(runtime, o -> o)) {
      s.runtime.namespace("NOTES").getByName("a", TestObjects.NotesApi.class).add("in the first");
      JsonNode bindings = s.get("/local/workers").ok().at("/0/bindings/do");
      assertThat(bindings.findValuesAsText("className")).containsExactly(
          TestObjects.Notes.class.getName(), Elsewhere.Notes.class.getName());
      JsonNode namespaces = s.get(NS).ok();
      for (JsonNode binding : bindings) {
        // The UI links to /do/{className} and takes the namespace whose class, name or id is it.
        String className = binding.get("className").asText();
        JsonNode found = null;
        for (JsonNode ns : namespaces) {
          if (ns.get("class").asText().equals(className) || ns.get("name").asText().equals(className)
              || ns.get("id").asText().equals(className)) {
            assertThat(found).as("only one namespace answers to %s in %s", className, namespaces).isNull();
            found = ns;
          }
        }
        assertThat(found).as("a namespace answers to %s in %s", className, namespaces).isNotNull();
        assertThat(found.get("id").asText()).isEqualTo(binding.get("id").asText()).isEqualTo("app-" + className);
      }
      JsonNode first = s.get(NS + "/app-" + TestObjects.Notes.class.getName() + "/objects").ok();
      assertThat(first.findValuesAsText("name")).containsExactly("a");
      JsonNode second = s.get(NS + "/app-" + Elsewhere.Notes.class.getName() + "/objects").ok();
      assertThat(second).isEmpty();
    }
  }

  @Test
  void observabilityIsOffWithMiniflaresCodeAndMessage() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post("/local/observability/query", "{\"sql\":\"SELECT 1\"}")
          .fails(404, 10130, "Local observability is not enabled for this dev session.");
      s.post("/local/observability/clear", "{}")
          .fails(404, 10130, "Local observability is not enabled for this dev session.");
    }
  }
}
