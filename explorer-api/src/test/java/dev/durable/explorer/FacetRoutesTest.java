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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facets in the explorer: listed under their parent, queried and edited through it. */
class FacetRoutesTest {
  private static final String FOLDER = NS + "/app-Folder/objects/name:docs";

  /** What the test asks of a folder. */
  public interface FolderApi {
    long addNote(String facet, String title);
  }

  /** A parent whose facets are {@link TestObjects.Notes}; it keeps a table of its own. */
  public static class Folder extends DurableObject implements FolderApi {
    public Folder(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long addNote(String facet, String title) {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS opened (facet TEXT)");
      ctx.storage().sql().exec("INSERT INTO opened VALUES (?)", facet);
      return ctx.facets().get(facet, TestObjects.Notes.class).as(TestObjects.NotesApi.class).add(title);
    }
  }

  @TempDir
  Path state;
  private ExplorerServer s;

  @BeforeEach
  void start() {
    DurableRuntime runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(state)
        .bind("FOLDER", Folder.class).bind("NOTES", TestObjects.Notes.class).build();
    s = ExplorerServer.start(runtime, o -> o);
    s.stub("FOLDER", "docs").as(FolderApi.class).addNote("drafts", "first");
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void anObjectsSummaryAndListingNameItsFacets() {
    JsonNode summary = s.get(FOLDER).ok();
    assertThat(summary.get("facets").size()).isEqualTo(1);
    JsonNode facet = summary.get("facets").get(0);
    assertThat(facet.get("name").asText()).isEqualTo("drafts");
    assertThat(facet.get("class").asText()).isEqualTo("Notes");
    assertThat(facet.get("class_name").asText()).isEqualTo(TestObjects.Notes.class.getName());
    assertThat(s.get(FOLDER + "/facets").ok().findValuesAsText("name")).containsExactly("drafts");

    JsonNode objects = s.get(NS + "/app-Folder/objects").ok();
    assertThat(objects.size()).as("the namespace lists the folder, not its facet").isEqualTo(1);
    assertThat(s.get(NS + "/app-Notes/objects").ok()).as("nor does the facet class's namespace").isEmpty();
  }

  @Test
  void aFacetsTablesAreQueriedAndEditedThroughItsParent() {
    assertThat(tableNames(s.get(FOLDER + "/tables?facet=drafts").ok())).containsExactly("notes");
    assertThat(tableNames(s.get(FOLDER + "/tables").ok())).as("the parent's own").containsExactly("opened");

    s.post(FOLDER + "/tables/notes/rows?facet=drafts", "{\"values\":{\"title\":\"second\"}}").ok();
    JsonNode result = s.post(NS + "/app-Folder/query", "{\"durable_object_name\":\"docs\","
        + "\"durable_object_facet\":\"drafts\",\"queries\":[{\"sql\":\"SELECT title FROM notes ORDER BY id\"}]}").ok();
    assertThat(result.get(0).get("rows").toString()).isEqualTo("[[\"first\"],[\"second\"]]");

    s.put(FOLDER + "/kv/color?facet=drafts", "{\"value\":\"blue\"}").ok();
    assertThat(s.get(FOLDER + "/kv?facet=drafts").ok().findValuesAsText("key")).containsExactly("color");
    assertThat(s.get(FOLDER + "/kv").ok()).as("the parent's entries").isEmpty();
  }

  private static List<String> tableNames(JsonNode tables) {
    List<String> names = new ArrayList<>();
    tables.forEach(t -> names.add(t.get("name").asText()));
    return names;
  }

  @Test
  void aFacetIsDeletedThroughItsParent() {
    JsonNode deleted = s.delete(FOLDER + "/facets/drafts").ok();
    assertThat(deleted.toString()).isEqualTo("{\"name\":\"drafts\",\"deleted\":true}");

    assertThat(s.get(FOLDER).ok().get("facets")).isEmpty();
    s.get(FOLDER + "/tables?facet=drafts").fails(404, 10404, "Object 'docs' has no facet named 'drafts'");
    assertThat(s.delete(FOLDER + "/facets/drafts").ok().get("deleted").asBoolean()).as("already gone").isFalse();
  }

  @Test
  void badFacetAddressesAreRefused() {
    s.get(FOLDER + "?facet=").fails(400, 10001,
        "facet: expected the name of one of the object's facets, got an empty string");
    s.post(NS + "/app-Folder/query", "{\"durable_object_name\":\"docs\",\"durable_object_facet\":3,"
        + "\"queries\":[{\"sql\":\"SELECT 1\"}]}")
        .fails(400, 10001, "Invalid input: durable_object_facet: Expected string, received number");
  }
}
