package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes the REPL needs beside the data studio's: a namespace's methods, and eviction. */
class ReplRoutesTest {
  private static final String OBJ = NS + "/app-Notes/objects/name:repl";

  @TempDir
  Path state;
  private ExplorerServer s;

  @BeforeEach
  void start() {
    s = ExplorerServer.start(state);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void aNamespaceNamesItsBindingItsClassAndTheMethodsRpcCanCall() {
    JsonNode ns = s.get(NS + "/app-Notes").ok();
    assertThat(ns.get("id").asText()).isEqualTo("app-Notes");
    assertThat(ns.get("name").asText()).isEqualTo("app_Notes");
    assertThat(ns.get("script").asText()).isEqualTo("app");
    assertThat(ns.get("class").asText()).isEqualTo("Notes");
    assertThat(ns.get("binding").asText()).isEqualTo("NOTES");
    assertThat(ns.get("class_name").asText()).isEqualTo(TestObjects.Notes.class.getName());
    List<String> names = new ArrayList<>();
    ns.get("methods").forEach(m -> names.add(m.get("name").asText()));
    assertThat(names).as("callable methods, sorted, without handlers")
        .containsExactly("add", "fail", "holdThenRead", "titleOf", "valueOf");
    JsonNode add = ns.get("methods").get(0);
    assertThat(add.toString())
        .isEqualTo("{\"name\":\"add\",\"parameters\":[{\"name\":\"title\",\"type\":\"String\"}],\"returns\":\"long\"}");
    assertThat(ns.at("/methods/1/returns").asText()).as("fail() returns").isEqualTo("void");

    JsonNode plain = s.get(NS + "/app-Plain").ok();
    assertThat(plain.get("binding").asText()).isEqualTo("PLAIN");
    assertThat(plain.get("methods")).as("a class with no methods of its own").isEmpty();
    s.get(NS + "/app-Nope").fails(404, 10066, "Durable Object namespace ID 'app-Nope' not found.");
  }

  @Test
  void typeNamesLeaveOutPackagesAndShowNestedClassesWithADot() throws Exception {
    class Holder {
      @SuppressWarnings("unused")
      public java.util.Map<String, java.util.List<java.time.Instant>> m(java.util.Map.Entry<String, int[]> e) {
        return null;
      }
    }
    var m = Holder.class.getMethod("m", java.util.Map.Entry.class);
    assertThat(ObjectRoutes.typeName(m.getGenericReturnType())).isEqualTo("Map<String, List<Instant>>");
    assertThat(ObjectRoutes.typeName(m.getGenericParameterTypes()[0])).isEqualTo("Map.Entry<String, int[]>");
  }

  @Test
  void evictingDropsTheInstanceAndTheNextCallRebuildsItFromStorage() {
    assertThat(s.post(OBJ + "/rpc", "{\"method\":\"add\",\"args\":[\"kept\"]}").ok().asLong()).isEqualTo(1);
    assertThat(s.get(OBJ).ok().get("live").asBoolean()).as("live after a call").isTrue();
    int constructed = TestObjects.Notes.constructed.get();

    JsonNode evicted = s.post(OBJ + "/evict", "").ok();
    assertThat(evicted.get("was_live").asBoolean()).isTrue();
    assertThat(evicted.get("name").asText()).isEqualTo("repl");
    assertThat(evicted.get("id").asText()).hasSize(64);
    assertThat(s.get(OBJ).ok().get("live").asBoolean()).as("live after evict").isFalse();
    assertThat(s.post(OBJ + "/evict", "").ok().get("was_live").asBoolean())
        .as("a second evict finds nothing live").isFalse();

    assertThat(s.post(OBJ + "/rpc", "{\"method\":\"titleOf\",\"args\":[1]}").ok().asText())
        .as("state read back from storage").isEqualTo("kept");
    assertThat(TestObjects.Notes.constructed.get()).as("constructor ran again").isEqualTo(constructed + 1);
  }

  @Test
  void evictingAnObjectThatWasNeverUsedCreatesNothing() {
    JsonNode evicted = s.post(NS + "/app-Notes/objects/name:never/evict", "").ok();
    assertThat(evicted.get("was_live").asBoolean()).isFalse();
    assertThat(s.runtime.tools().inMemory("NOTES")).as("no handle made").isEmpty();
    assertThat(Files.exists(state.resolve("do").resolve("app-Notes"))
        && state.resolve("do").resolve("app-Notes").toFile().list((d, n) -> n.endsWith(".sqlite")
            && !n.equals("metadata.sqlite")).length > 0).as("object files").isFalse();
    s.post(NS + "/app-Nope/objects/name:x/evict", "")
        .fails(404, 10066, "Durable Object namespace ID 'app-Nope' not found.");
  }
}
