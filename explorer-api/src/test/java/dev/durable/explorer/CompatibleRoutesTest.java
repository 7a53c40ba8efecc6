package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes Cloudflare's Local Explorer also serves: same paths, fields, codes and messages. */
class CompatibleRoutesTest {
  private static final String NOTES = NS + "/app-Notes";

  @TempDir
  Path state;

  @Test
  void namespacesAreListedByteForByteAsTheLocalExplorerDoes() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      ExplorerServer.Reply r = s.get(NS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(r.text()).isEqualTo("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
          + "{\"id\":\"app-Notes\",\"name\":\"app_Notes\",\"script\":\"app\",\"class\":\"Notes\",\"use_sqlite\":true},"
          + "{\"id\":\"app-Plain\",\"name\":\"app_Plain\",\"script\":\"app\",\"class\":\"Plain\",\"use_sqlite\":true}],"
          + "\"result_info\":{\"count\":2}}");
    }
  }

  @Test
  void objectsWrittenByAnEarlierRunAreListedWithTheirNamesWithoutWakingAny() throws IOException {
    String unique;
    try (DurableRuntime first = ExplorerServer.runtime(state).build()) {
      DurableObjectNamespace ns = first.namespace("NOTES");
      ns.getByName("alpha", TestObjects.NotesApi.class).add("one");
      ns.getByName("beta", TestObjects.NotesApi.class).add("two");
      DurableObjectId id = ns.newUniqueId();
      unique = id.toString();
      ns.get(id).as(TestObjects.NotesApi.class).add("three");
    }
    List<String> filesBefore = files();
    int constructed = TestObjects.Notes.constructed.get();
    try (ExplorerServer s = ExplorerServer.start(state)) {
      DurableObjectNamespace ns = s.runtime.namespace("NOTES");
      String alpha = ns.idFromName("alpha").toString();
      String beta = ns.idFromName("beta").toString();
      ExplorerServer.Reply r = s.get(NOTES + "/objects");
      JsonNode result = r.ok();
      List<String> expectedIds = Stream.of(alpha, beta, unique).sorted().toList();
      assertThat(result.findValuesAsText("id")).isEqualTo(expectedIds);
      for (JsonNode o : result) {
        String id = o.get("id").asText();
        assertThat(o.get("hasStoredData").asBoolean()).isTrue();
        if (id.equals(unique)) {
          assertThat(o.has("name")).as("an object made from a unique id has no name: %s", o).isFalse();
        } else {
          assertThat(o.get("name").asText()).isEqualTo(id.equals(alpha) ? "alpha" : "beta");
        }
        assertThat(o.fieldNames()).toIterable().first().isEqualTo("id");
      }
      assertThat(r.json().get("result_info").toString()).isEqualTo("{\"count\":3,\"cursor\":\"\"}");
      assertThat(TestObjects.Notes.constructed.get()).as("listing must not wake objects").isEqualTo(constructed);
      assertThat(s.runtime.tools().inMemory("NOTES")).as("listing must not load objects").isEmpty();
    }
    assertThat(files()).as("listing must not create or leave files").isEqualTo(filesBefore);
  }

  @Test
  void aLimitOutOfRangeIsRefusedWithTheValidationMessage() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.get(NOTES + "/objects?limit=9")
          .fails(400, 10001, "limit: Number must be greater than or equal to 10");
      s.get(NOTES + "/objects?limit=10001")
          .fails(400, 10001, "limit: Number must be less than or equal to 10000");
      assertThat(s.get(NOTES + "/objects?limit=ten").failsWith(400, 10001)).startsWith("limit: ");
      assertThat(s.get(NOTES + "/objects?cursor=nonsense").failsWith(400, 10001)).startsWith("cursor: ");
      s.get(NOTES + "/objects?limit=10").ok();
      s.get(NOTES + "/objects?limit=10000").ok();
    }
  }

  @Test
  void anUnknownNamespaceIs404WithCode10066() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      String message = "Durable Object namespace ID 'app-Nope' not found.";
      s.get(NS + "/app-Nope/objects").fails(404, 10066, message);
      s.post(NS + "/app-Nope/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELECT 1\"}]}")
          .fails(404, 10066, message);
    }
  }

  @Test
  void aQueryByNameOrByIdAnswersColumnsRowsAndMeta() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode created = s.post(NOTES + "/query", """
          {"durable_object_name":"q","queries":[
            {"sql":"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"},
            {"sql":"INSERT INTO items (name) VALUES (?), (?)","params":["a","b"]}]}""").ok();
      assertThat(created).hasSize(2);
      assertThat(created.get(1).get("meta").toString()).isEqualTo("{\"rows_read\":0,\"rows_written\":2}");
      String id = s.runtime.namespace("NOTES").idFromName("q").toString();
      ExplorerServer.Reply r = s.post(NOTES + "/query",
          "{\"durable_object_id\":\"" + id + "\",\"queries\":[{\"sql\":\"SELECT id, name FROM items WHERE id >= ? ORDER BY id\",\"params\":[1]}]}");
      assertThat(r.text()).isEqualTo("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
          + "{\"columns\":[\"id\",\"name\"],\"rows\":[[1,\"a\"],[2,\"b\"]],\"meta\":{\"rows_read\":2,\"rows_written\":0}}]}");
    }
  }

  @Test
  void severalQueriesAreOneTransaction() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(NOTES + "/query", "{\"durable_object_name\":\"t\",\"queries\":[{\"sql\":\"CREATE TABLE t (v INTEGER)\"}]}").ok();
      s.post(NOTES + "/query", """
          {"durable_object_name":"t","queries":[
            {"sql":"INSERT INTO t VALUES (1)"},
            {"sql":"INSERT INTO missing VALUES (2)"}]}""")
          .fails(400, 10001, "no such table: missing: SQLITE_ERROR");
      JsonNode rows = s.post(NOTES + "/query",
          "{\"durable_object_name\":\"t\",\"queries\":[{\"sql\":\"SELECT count(*) AS n FROM t\"}]}").ok();
      assertThat(rows.at("/0/rows/0/0").asInt()).as("the first insert must have been rolled back").isZero();
    }
  }

  @Test
  void invalidInputIsRefusedWithCode10001() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      String q = "\"queries\":[{\"sql\":\"SELECT 1\"}]";
      s.post(NOTES + "/query", "{" + q + "}").fails(400, 10001, "Invalid input");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"durable_object_id\":\"b\"," + q + "}")
          .fails(400, 10001, "Invalid input");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\"}").fails(400, 10001, "Invalid input");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[]}").fails(400, 10001, "No queries provided");
      s.post(NOTES + "/query", "[]").fails(400, 10001, "Invalid input");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":5}]}")
          .fails(400, 10001, "Invalid input: queries.0.sql: Expected string, received number");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELECT ?\",\"params\":[[1]]}]}")
          .fails(400, 10001, "queries.0.params.0: expected a string, number, boolean, null or"
              + " {\"$blob\":\"<base64>\"}, got an array");
      s.post(NOTES + "/query", "{\"durable_object_id\":\"xyz\"," + q + "}")
          .fails(400, 10001, "Invalid Durable Object ID: must be 64 hex digits");
      String otherNamespace = s.runtime.namespace("PLAIN").idFromName("a").toString();
      s.post(NOTES + "/query", "{\"durable_object_id\":\"" + otherNamespace + "\"," + q + "}")
          .fails(400, 10001, "Durable Object ID is not valid for this namespace.");
    }
  }

  @Test
  void aSqlSyntaxErrorReadsAsCloudflaresMessage() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELEC 1\"}]}")
          .fails(400, 10001, "near \"SELEC\": syntax error at offset 0: SQLITE_ERROR");
    }
  }

  @Test
  void theRuntimesOwnTablesAreRefusedAsInTheObject() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELECT * FROM _cf_KV\"}]}")
          .fails(400, 10001, "access to _cf_KV.key is prohibited: SQLITE_AUTH");
      s.post(NOTES + "/query", "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"BEGIN\"}]}")
          .failsWith(400, 10001);
    }
  }

  @Test
  void bigIntegersAreStringsAndBlobsAreMarkedNeverEmptyObjects() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode r = s.post(NOTES + "/query", """
          {"durable_object_name":"v","queries":[{"sql":
            "SELECT 9007199254740993 AS big, -9007199254740991 AS edge, 42 AS small, 1.5 AS real, x'00ff' AS bytes, NULL AS absent, 'text' AS str, ? AS echoed, ? AS exact",
            "params":[{"$blob":"AQID"}, 9007199254740993]}]}""").ok();
      assertThat(r.at("/0/rows/0").toString()).isEqualTo(
          "[\"9007199254740993\",-9007199254740991,42,1.5,{\"$blob\":\"AP8=\"},null,\"text\",{\"$blob\":\"AQID\"},\"9007199254740993\"]");
    }
  }

  @Test
  void aQueryOnANameWithoutAnObjectCreatesNothingUnlessItWrites() throws IOException {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      List<String> before = files();
      JsonNode r = s.post(NOTES + "/query", "{\"durable_object_name\":\"ghost\",\"queries\":[{\"sql\":"
          + "\"SELECT count(*) FROM sqlite_master WHERE name NOT IN ('_cf_KV', '__miniflare_do_name')\"}]}").ok();
      assertThat(r.at("/0/rows/0/0").asInt()).as("an object without storage reads as a new one").isZero();
      s.post(NOTES + "/query", "{\"durable_object_name\":\"ghost\",\"queries\":[{\"sql\":\"SELECT * FROM absent\"}]}")
          .fails(400, 10001, "no such table: absent: SQLITE_ERROR");
      assertThat(files()).as("reading must create no file").isEqualTo(before);

      s.post(NOTES + "/query", "{\"durable_object_name\":\"made\",\"queries\":[{\"sql\":\"CREATE TABLE t (v)\"}]}").ok();
      String made = s.runtime.namespace("NOTES").idFromName("made").toString();
      assertThat(files()).as("a write creates the object's file").contains(made + ".sqlite");
      JsonNode tables = s.post(NOTES + "/query", "{\"durable_object_name\":\"made\",\"queries\":[{\"sql\":"
          + "\"SELECT name FROM sqlite_master WHERE type = 'table' AND name = 't'\"}]}").ok();
      assertThat(tables.at("/0/rows/0/0").asText()).isEqualTo("t");
    }
  }

  @Test
  void theLocalExplorerPathAnswersTheSame() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      assertThat(s.get("/cdn-cgi/local/explorer/api" + NS).text()).isEqualTo(s.get(NS).text());
    }
  }

  @Test
  void anInMemoryRuntimeListsTheObjectsItHolds() {
    DurableRuntime inMemory = DurableRuntime.builder().idleTimeout(java.time.Duration.ZERO)
        .bind("NOTES", TestObjects.Notes.class).build();
    try (ExplorerServer s = ExplorerServer.start(inMemory, o -> o)) {
      s.post(NOTES + "/query", "{\"durable_object_name\":\"m\",\"queries\":[{\"sql\":\"CREATE TABLE t (v)\"}]}").ok();
      s.post(NOTES + "/query", "{\"durable_object_name\":\"read-only\",\"queries\":[{\"sql\":\"SELECT 1\"}]}").ok();
      String id = inMemory.namespace("NOTES").idFromName("m").toString();
      assertThat(s.get(NOTES + "/objects").ok().toString())
          .isEqualTo("[{\"id\":\"" + id + "\",\"name\":\"m\",\"hasStoredData\":true}]");
      assertThat(s.get(NOTES + "/objects/name:m/export?format=sqlite").status()).isEqualTo(200);
    }
  }

  private List<String> files() throws IOException {
    Path dir = state.resolve("do").resolve("app-Notes");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
