package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data studio's routes over HTTP: schema, rows, edits, key-value, alarm, export, RPC. */
class DataStudioRoutesTest {
  private static final String OBJ = NS + "/app-Notes/objects/name:studio";

  @TempDir
  Path state;
  private ExplorerServer s;

  @BeforeEach
  void start() {
    s = ExplorerServer.start(state);
    s.post(NS + "/app-Notes/query", """
        {"durable_object_name":"studio","queries":[
          {"sql":"CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body BLOB, score REAL)"},
          {"sql":"CREATE INDEX notes_title ON notes(title)"},
          {"sql":"CREATE TABLE tags (note INTEGER, tag TEXT, PRIMARY KEY (note, tag)) WITHOUT ROWID"},
          {"sql":"CREATE TABLE log (line TEXT)"},
          {"sql":"CREATE VIEW titles AS SELECT title FROM notes"},
          {"sql":"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30) INSERT INTO notes (id, title, score) SELECT i, printf('note %02d', i), i * 0.5 FROM n"},
          {"sql":"INSERT INTO tags VALUES (1, 'a'), (1, 'b'), (2, 'a')"},
          {"sql":"INSERT INTO log VALUES ('first'), ('second')"}]}""").ok();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void theSummaryShowsSizeTablesEntriesAndLivenessWithoutWakingTheObject() {
    int constructed = TestObjects.Notes.constructed.get();
    JsonNode o = s.get(OBJ).ok();
    assertThat(o.get("name").asText()).isEqualTo("studio");
    assertThat(o.get("id").asText()).isEqualTo(s.runtime.namespace("NOTES").idFromName("studio").toString());
    assertThat(o.get("live").asBoolean()).isFalse();
    assertThat(o.get("hasStoredData").asBoolean()).isTrue();
    assertThat(o.at("/size/database_bytes").asLong()).isPositive();
    assertThat(o.at("/size/file_bytes").asLong()).isPositive();
    assertThat(o.get("tables").toString()).isEqualTo("[{\"name\":\"log\",\"type\":\"table\",\"rows\":2},"
        + "{\"name\":\"notes\",\"type\":\"table\",\"rows\":30},{\"name\":\"tags\",\"type\":\"table\",\"rows\":3},"
        + "{\"name\":\"titles\",\"type\":\"view\",\"rows\":30}]");
    assertThat(o.get("kv_entries").asInt()).isZero();
    assertThat(o.get("alarm").toString()).isEqualTo("{\"scheduled_time\":null,\"epoch_millis\":null}");
    assertThat(TestObjects.Notes.constructed.get()).as("reading must not wake the object").isEqualTo(constructed);

    s.runtime.namespace("NOTES").getByName("studio", TestObjects.NotesApi.class).titleOf(1);
    assertThat(s.get(OBJ).ok().get("live").asBoolean()).as("after an RPC the instance is live").isTrue();
  }

  @Test
  void tablesAreListedWithColumnsKeysIndexesAndRowCounts() {
    ExplorerServer.Reply r = s.get(OBJ + "/tables");
    JsonNode tables = r.ok();
    assertThat(tables.findValuesAsText("name")).contains("log", "notes", "tags", "titles");
    assertThat(r.json().at("/result_info/count").asInt()).isEqualTo(4);
    JsonNode notes = s.get(OBJ + "/tables/notes").ok();
    assertThat(notes.get("columns").toString()).isEqualTo("["
        + "{\"name\":\"id\",\"type\":\"INTEGER\",\"not_null\":false,\"default\":null,\"primary_key_position\":1,\"generated\":false},"
        + "{\"name\":\"title\",\"type\":\"TEXT\",\"not_null\":true,\"default\":null,\"primary_key_position\":0,\"generated\":false},"
        + "{\"name\":\"body\",\"type\":\"BLOB\",\"not_null\":false,\"default\":null,\"primary_key_position\":0,\"generated\":false},"
        + "{\"name\":\"score\",\"type\":\"REAL\",\"not_null\":false,\"default\":null,\"primary_key_position\":0,\"generated\":false}]");
    assertThat(notes.get("primary_key").toString()).isEqualTo("[\"id\"]");
    assertThat(notes.get("key").toString()).isEqualTo("[\"id\"]");
    assertThat(notes.get("indexes").toString()).isEqualTo(
        "[{\"name\":\"notes_title\",\"unique\":false,\"origin\":\"c\",\"partial\":false,\"columns\":[\"title\"]}]");
    assertThat(notes.get("rows").asInt()).isEqualTo(30);
    JsonNode tags = s.get(OBJ + "/tables/tags").ok();
    assertThat(tags.get("key").toString()).isEqualTo("[\"note\",\"tag\"]");
    assertThat(tags.get("without_rowid").asBoolean()).isTrue();
    assertThat(s.get(OBJ + "/tables/log").ok().get("key").toString()).isEqualTo("[\"rowid\"]");
    assertThat(s.get(OBJ + "/tables/titles").ok().get("key").toString()).isEqualTo("[]");
    s.get(OBJ + "/tables/missing").fails(404, 10404, "No table 'missing' in this object; tables: log, notes, tags, titles");
    s.get(OBJ + "/tables/_cf_KV").failsWith(404, 10404);
  }

  @Test
  void rowsArePagedSortedAndFiltered() {
    ExplorerServer.Reply first = s.get(OBJ + "/tables/notes/rows?limit=10");
    JsonNode page = first.ok();
    assertThat(page.get("columns").toString()).isEqualTo("[\"id\",\"title\",\"body\",\"score\"]");
    assertThat(page.get("rows")).hasSize(10);
    assertThat(page.at("/rows/0").toString()).isEqualTo("[1,\"note 01\",null,0.5]");
    assertThat(first.json().get("result_info").toString())
        .isEqualTo("{\"count\":10,\"offset\":0,\"limit\":10,\"total\":30}");
    JsonNode third = s.get(OBJ + "/tables/notes/rows?limit=10&offset=20").ok();
    assertThat(third.at("/rows/0/0").asInt()).isEqualTo(21);
    JsonNode desc = s.get(OBJ + "/tables/notes/rows?order_by=title&direction=desc&limit=2").ok();
    assertThat(desc.at("/rows/0/1").asText()).isEqualTo("note 30");
    ExplorerServer.Reply filtered = s.get(OBJ + "/tables/notes/rows?filter_column=score&filter_op=ge&filter_value=14");
    assertThat(filtered.ok().get("rows")).hasSize(3);
    assertThat(filtered.json().at("/result_info/total").asInt()).isEqualTo(3);
    JsonNode like = s.get(OBJ + "/tables/notes/rows?filter_column=title&filter_op=like&filter_value=note%200%25").ok();
    assertThat(like.get("rows")).hasSize(9);
    JsonNode nulls = s.get(OBJ + "/tables/notes/rows?filter_column=body&filter_op=is_null&limit=1").ok();
    assertThat(nulls.get("rows")).hasSize(1);
    JsonNode log = s.get(OBJ + "/tables/log/rows").ok();
    assertThat(log.get("columns").toString()).isEqualTo("[\"rowid\",\"line\"]");
    assertThat(log.get("rows").toString()).isEqualTo("[[1,\"first\"],[2,\"second\"]]");

    assertThat(s.get(OBJ + "/tables/notes/rows?order_by=nope").failsWith(400, 10001))
        .startsWith("order_by: table 'notes' has no column 'nope'");
    s.get(OBJ + "/tables/notes/rows?direction=up").fails(400, 10001, "direction: expected 'asc' or 'desc', got 'up'");
    assertThat(s.get(OBJ + "/tables/notes/rows?filter_column=title&filter_op=near").failsWith(400, 10001))
        .startsWith("filter_op: expected one of");
    s.get(OBJ + "/tables/notes/rows?filter_column=title").fails(400, 10001, "filter_value: required with filter_op=eq");
    s.get(OBJ + "/tables/notes/rows?limit=0").fails(400, 10001, "limit: Number must be greater than or equal to 1");
    s.get(OBJ + "/tables/nope/rows").failsWith(404, 10404);
  }

  @Test
  void oneRowIsInsertedUpdatedAndDeletedByItsKeyWithTypedValues() {
    JsonNode inserted = s.post(OBJ + "/tables/notes/rows",
        "{\"values\":{\"title\":\"new\",\"body\":{\"$blob\":\"AAEC\"},\"score\":2.25}}").ok();
    assertThat(inserted.get("key").toString()).isEqualTo("{\"id\":31}");
    assertThat(inserted.get("row").toString())
        .isEqualTo("{\"id\":31,\"title\":\"new\",\"body\":{\"$blob\":\"AAEC\"},\"score\":2.25}");
    assertThat(inserted.get("rows_written").asInt()).isEqualTo(1);
    JsonNode types = s.post(NS + "/app-Notes/query", "{\"durable_object_name\":\"studio\",\"queries\":[{\"sql\":"
        + "\"SELECT typeof(title), typeof(body), typeof(score) FROM notes WHERE id = 31\"}]}").ok();
    assertThat(types.at("/0/rows/0").toString()).isEqualTo("[\"text\",\"blob\",\"real\"]");

    JsonNode updated = s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":31},\"values\":{\"title\":\"renamed\",\"body\":null}}").ok();
    assertThat(updated.get("row").toString()).isEqualTo("{\"id\":31,\"title\":\"renamed\",\"body\":null,\"score\":2.25}");
    JsonNode moved = s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":31},\"values\":{\"id\":9007199254740993}}").ok();
    assertThat(moved.get("key").toString()).as("a key beyond 2^53 is a string").isEqualTo("{\"id\":\"9007199254740993\"}");
    assertThat(moved.at("/row/title").asText()).isEqualTo("renamed");

    JsonNode deleted = s.delete(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":\"9007199254740993\"}}").ok();
    assertThat(deleted.get("rows_written").asInt()).as("a key given as a string still matches by affinity").isEqualTo(1);
    s.delete(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":31}}")
        .fails(404, 10404, "No row of table 'notes' has key {\"id\":31}");

    JsonNode logRow = s.post(OBJ + "/tables/log/rows", "{\"values\":{\"line\":\"third\"}}").ok();
    assertThat(logRow.get("key").toString()).isEqualTo("{\"rowid\":3}");
    s.patch(OBJ + "/tables/log/rows", "{\"key\":{\"rowid\":3},\"values\":{\"line\":\"3rd\"}}").ok();
    assertThat(s.delete(OBJ + "/tables/log/rows", "{\"key\":{\"rowid\":3}}").ok().get("rows_written").asInt()).isEqualTo(1);
    JsonNode tag = s.post(OBJ + "/tables/tags/rows", "{\"values\":{\"note\":2,\"tag\":\"z\"}}").ok();
    assertThat(tag.get("key").toString()).isEqualTo("{\"note\":2,\"tag\":\"z\"}");
    s.delete(OBJ + "/tables/tags/rows", "{\"key\":{\"note\":2,\"tag\":\"z\"}}").ok();
  }

  @Test
  void badRowEditsAreRefusedAndChangeNothing() {
    s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"title\":\"note 01\"},\"values\":{\"score\":1}}")
        .fails(400, 10001, "key: table 'notes' addresses rows by [id], got [title]");
    s.delete(OBJ + "/tables/tags/rows", "{\"key\":{\"note\":1}}")
        .fails(400, 10001, "key: table 'tags' addresses rows by [note, tag], got [note]");
    assertThat(s.post(OBJ + "/tables/notes/rows", "{\"values\":{\"nope\":1}}").failsWith(400, 10001))
        .startsWith("values.nope: table 'notes' has no column 'nope'");
    s.post(OBJ + "/tables/notes/rows", "{\"values\":{\"score\":1}}")
        .fails(400, 10001, "NOT NULL constraint failed: notes.title: SQLITE_CONSTRAINT");
    s.post(OBJ + "/tables/notes/rows", "{\"values\":{\"id\":1,\"title\":\"dup\"}}")
        .fails(400, 10001, "UNIQUE constraint failed: notes.id: SQLITE_CONSTRAINT");
    s.post(OBJ + "/tables/titles/rows", "{\"values\":{\"title\":\"x\"}}")
        .fails(400, 10001, "'titles' is a view without a key; rows can be edited only in tables (use the query route)");
    s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":1}}").fails(400, 10001, "values: Required");
    s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":1},\"values\":[1]}")
        .fails(400, 10001, "values: expected an object of column names to values, got an array");
    s.post(OBJ + "/tables/notes/rows", "{\"values\":{\"title\":{\"$blob\":\"%%%\"}}}")
        .failsWith(400, 10001);
    s.post(OBJ + "/tables/notes/rows", "{\"values\":{\"title\":{\"nested\":1}}}").failsWith(400, 10001);
    assertThat(s.get(OBJ + "/tables/notes").ok().get("rows").asInt()).as("nothing was written").isEqualTo(30);
  }

  @Test
  void keyValueEntriesAreListedReadWrittenAndDeleted() throws Exception {
    var notes = s.runtime.namespace("NOTES").getByName("studio", TestObjects.NotesApi.class);
    for (String k : List.of("user/1", "user/2", "user/3", "room/1")) {
      s.put(OBJ + "/kv/" + k.replace("/", "%2F"), "{\"value\":{\"k\":\"" + k + "\"}}").ok();
    }
    ExplorerServer.Reply page = s.get(OBJ + "/kv?prefix=user/&limit=2");
    assertThat(page.ok().findValuesAsText("key")).containsExactly("user/1", "user/2");
    String cursor = page.json().at("/result_info/cursor").asText();
    assertThat(cursor).isNotEmpty();
    ExplorerServer.Reply rest = s.get(OBJ + "/kv?prefix=user/&limit=2&cursor=" + cursor);
    assertThat(rest.ok().findValuesAsText("key")).containsExactly("user/3");
    assertThat(rest.json().at("/result_info/cursor").asText()).isEmpty();

    JsonNode one = s.get(OBJ + "/kv/user%2F1").ok();
    assertThat(one.toString()).isEqualTo("{\"key\":\"user/1\",\"encoding\":\"json\",\"value\":{\"k\":\"user/1\"},\"size\":14}");
    assertThat(notes.valueOf("user/1")).as("the object reads what the explorer wrote").isEqualTo(Map.of("k", "user/1"));

    JsonNode raw = s.put(OBJ + "/kv/v8", "{\"base64\":\"/w9vIgFhewA=\"}").ok();
    assertThat(raw.toString()).isEqualTo("{\"key\":\"v8\",\"encoding\":\"base64\",\"value\":\"/w9vIgFhewA=\",\"size\":8}");
    s.put(OBJ + "/kv/user%2F1", "{\"value\":[1,2]}").ok();
    assertThat(notes.valueOf("user/1")).as("the object's cache must not hide the new value").isEqualTo(List.of(1, 2));
    s.put(OBJ + "/kv/user%2F1", "{\"base64\":\"WzNd\"}").ok();
    assertThat(notes.valueOf("user/1")).as("raw bytes replace the cached value too").isEqualTo(List.of(3));

    assertThat(s.delete(OBJ + "/kv/room%2F1").ok().toString()).isEqualTo("{\"key\":\"room/1\",\"deleted\":true}");
    assertThat(s.delete(OBJ + "/kv/room%2F1").ok().get("deleted").asBoolean()).isFalse();
    s.get(OBJ + "/kv/room%2F1").fails(404, 10404, "No key-value entry 'room/1' in this object");
    s.put(OBJ + "/kv/x", "{\"value\":1,\"base64\":\"AA==\"}")
        .fails(400, 10001, "Give exactly one of 'value' (any JSON value) or 'base64' (raw bytes)");
    s.put(OBJ + "/kv/x", "{\"value\":null}").fails(400, 10001, "value: must not be null; delete the entry instead");
    assertThat(s.get(OBJ + "/kv?cursor=***").failsWith(400, 10001)).startsWith("cursor: ");
  }

  @Test
  void theAlarmIsReadSetDeletedAndRunNow() {
    String alarm = OBJ + "/alarm";
    s.put(alarm, "{\"scheduled_time\":\"2099-01-01T00:00:00Z\"}").ok();
    assertThat(s.get(alarm).ok().toString())
        .isEqualTo("{\"scheduled_time\":\"2099-01-01T00:00:00Z\",\"epoch_millis\":4070908800000}");
    assertThat(s.put(alarm, "{\"scheduled_time\":4102444800000}").ok().get("scheduled_time").asText())
        .isEqualTo("2100-01-01T00:00:00Z");
    assertThat(s.delete(alarm).ok().toString()).isEqualTo("{\"scheduled_time\":null,\"epoch_millis\":null}");
    assertThat(s.post(alarm + "/run", "").ok().get("ran").asBoolean()).isFalse();

    s.put(alarm, "{\"scheduled_time\":\"2099-01-01T00:00:00Z\"}").ok();
    JsonNode ran = s.post(alarm + "/run", "").ok();
    assertThat(ran.toString()).isEqualTo("{\"ran\":true,\"alarm\":{\"scheduled_time\":null,\"epoch_millis\":null}}");
    assertThat(s.get(OBJ + "/kv/alarmed").ok().get("value").asText()).isEqualTo("2099-01-01T00:00:00Z");

    s.put(alarm, "{\"scheduled_time\":\"tomorrow\"}")
        .fails(400, 10001, "scheduled_time: 'tomorrow' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    assertThat(s.put(alarm, "{}").failsWith(400, 10001)).startsWith("scheduled_time: Required");
    assertThat(s.put(alarm, "{\"scheduled_time\":0}").failsWith(400, 10001)).contains("after the Unix epoch");
    assertThat(s.put(NS + "/app-Plain/objects/name:p/alarm", "{\"scheduled_time\":\"2099-01-01T00:00:00Z\"}")
        .failsWith(400, 10001)).contains("must override alarm(AlarmInfo)");
  }

  @Test
  void theQueryPlanOfOneStatementIsExplained() {
    JsonNode plan = s.post(OBJ + "/explain", "{\"sql\":\"SELECT * FROM notes WHERE title = ?\",\"params\":[\"x\"]}").ok();
    assertThat(plan.get(0).get("detail").asText()).contains("notes_title");
    s.post(OBJ + "/explain", "{\"sql\":\"SELECT 1; DELETE FROM notes\"}")
        .fails(400, 10001, "sql: expected exactly one statement to explain, got 2");
    s.post(OBJ + "/explain", "{\"sql\":\"SELECT * FROM _cf_KV\"}").fails(400, 10001, "not authorized: SQLITE_AUTH");
    s.post(OBJ + "/explain", "{\"sql\":\"SELEC 1\"}").fails(400, 10001, "near \"SELEC\": syntax error at offset 0: SQLITE_ERROR");
    s.post(OBJ + "/explain", "{}").fails(400, 10001, "sql: Expected string, received undefined");
  }

  @Test
  void anObjectIsExportedAsJsonCsvSqlAndItsSqliteFile() throws Exception {
    s.put(OBJ + "/kv/greeting", "{\"value\":\"hello\"}").ok();
    s.patch(OBJ + "/tables/notes/rows", "{\"key\":{\"id\":1},\"values\":{\"body\":{\"$blob\":\"AAEC\"}}}").ok();

    ExplorerServer.Reply json = s.get(OBJ + "/export?format=json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.headers().firstValue("content-disposition"))
        .hasValue("attachment; filename=\"app-Notes-studio.json\"");
    JsonNode all = json.json();
    assertThat(all.get("tables").findValuesAsText("name")).contains("notes", "tags", "log");
    assertThat(all.at("/tables/1/rows/0").toString()).isEqualTo("[1,\"note 01\",{\"$blob\":\"AAEC\"},0.5]");
    assertThat(all.get("kv").toString()).isEqualTo("[{\"key\":\"greeting\",\"encoding\":\"json\",\"value\":\"hello\",\"size\":7}]");

    ExplorerServer.Reply csv = s.get(OBJ + "/tables/notes/export?format=csv");
    assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.text()).startsWith("id,title,body,score\r\n1,note 01,AAEC,0.5\r\n2,note 02,,1.0\r\n");

    ExplorerServer.Reply zip = s.get(OBJ + "/export?format=csv");
    List<String> entries = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e.getName());
      }
    }
    assertThat(entries).containsExactly("log.csv", "notes.csv", "tags.csv", "titles.csv", "_kv.csv");

    String sql = s.get(OBJ + "/export?format=sql").text();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
      st.executeUpdate(sql);
      assertThat(count(st, "SELECT count(*) FROM notes")).isEqualTo(30);
      assertThat(count(st, "SELECT count(*) FROM titles")).isEqualTo(30);
      assertThat(count(st, "SELECT count(*) FROM tags")).isEqualTo(3);
      assertThat(count(st, "SELECT length(body) FROM notes WHERE id = 1")).isEqualTo(3);
      assertThat(count(st, "SELECT count(*) FROM sqlite_master WHERE name = 'notes_title'")).isEqualTo(1);
      assertThat(count(st, "SELECT count(*) FROM _cf_KV WHERE key = 'greeting'")).isEqualTo(1);
    }
    assertThat(s.get(OBJ + "/tables/tags/export?format=sql").text()).contains("INSERT INTO \"tags\"")
        .doesNotContain("\"notes\"");

    ExplorerServer.Reply file = s.get(OBJ + "/export?format=sqlite");
    assertThat(file.headers().firstValue("content-type")).hasValue("application/vnd.sqlite3");
    Path copy = state.resolve("copy.sqlite");
    Files.write(copy, file.body());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement st = c.createStatement()) {
      assertThat(count(st, "SELECT count(*) FROM notes")).isEqualTo(30);
      assertThat(count(st, "SELECT count(*) FROM _cf_KV")).isEqualTo(1);
    }

    s.get(OBJ + "/export?format=xml").fails(400, 10001, "format: expected json, csv, sql or sqlite, got 'xml'");
    assertThat(s.get(OBJ + "/tables/notes/export?format=sqlite").failsWith(400, 10001)).startsWith("format: expected json, csv or sql");
    s.get(OBJ + "/tables/nope/export").failsWith(404, 10404);
    try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(temp.filter(p -> p.getFileName().toString().startsWith("durable-export-")).toList())
          .as("temporary exports are deleted once sent").isEmpty();
    }
  }

  @Test
  void rpcAndFetchReachTheObject() {
    String rpc = OBJ + "/rpc";
    assertThat(s.post(rpc, "{\"method\":\"add\",\"args\":[\"via rpc\"]}").ok().asLong()).isEqualTo(31);
    assertThat(s.post(rpc, "{\"method\":\"titleOf\",\"args\":[31]}").ok().asText()).isEqualTo("via rpc");
    assertThat(s.post(rpc, "{\"method\":\"nope\"}").failsWith(400, 10001)).startsWith("Notes has no public method 'nope'");
    s.post(rpc, "{\"method\":\"fail\",\"args\":[\"boom\"]}")
        .fails(500, 10002, "Notes.fail() threw java.lang.IllegalStateException: boom");
    assertThat(s.post(rpc, "{\"method\":\"titleOf\",\"args\":[\"x\"]}").failsWith(400, 10001)).startsWith("Argument 1 of titleOf()");
    s.post(rpc, "{\"args\":[]}").fails(400, 10001, "method: expected the name of a public method of the object, got nothing");
    s.post(rpc, "{\"method\":\"fetch\"}").failsWith(400, 10001);

    JsonNode r = s.post(OBJ + "/fetch", "{\"method\":\"POST\",\"url\":\"/hello?x=1\",\"headers\":{\"a\":\"b\"},\"body\":\"hi\"}").ok();
    assertThat(r.get("status").asInt()).isEqualTo(201);
    assertThat(r.at("/headers/x-seen-method/0").asText()).isEqualTo("POST");
    assertThat(r.get("body").asText()).isEqualTo("POST /hello hi");
    s.post(OBJ + "/fetch", "{\"headers\":{\"a\":1}}")
        .fails(400, 10001, "headers.a: expected a string or an array of strings, got a number");
  }

  @Test
  void browsingAnObjectThatDoesNotExistCreatesNothingAndWakesNothing() throws IOException {
    String ghost = NS + "/app-Notes/objects/name:ghost";
    int constructed = TestObjects.Notes.constructed.get();
    List<String> before = files();
    JsonNode summary = s.get(ghost).ok();
    assertThat(summary.get("hasStoredData").asBoolean()).isFalse();
    assertThat(summary.get("tables")).isEmpty();
    assertThat(s.get(ghost + "/tables").ok()).isEmpty();
    s.get(ghost + "/tables/notes/rows").failsWith(404, 10404);
    s.post(ghost + "/tables/notes/rows", "{\"values\":{\"title\":\"x\"}}")
        .fails(404, 10404, "No table 'notes' in this object; tables: none");
    assertThat(s.get(ghost + "/kv").ok()).isEmpty();
    assertThat(s.delete(ghost + "/kv/a").ok().get("deleted").asBoolean()).isFalse();
    assertThat(s.get(ghost + "/alarm").ok().get("scheduled_time").isNull()).isTrue();
    assertThat(s.get(ghost + "/export").json().get("tables")).isEmpty();
    assertThat(s.get(ghost + "/export?format=sqlite").status()).isEqualTo(200);
    assertThat(s.post(ghost + "/explain", "{\"sql\":\"SELECT 1\"}").ok()).isNotEmpty();
    assertThat(files()).as("browsing must create no file").isEqualTo(before);
    assertThat(TestObjects.Notes.constructed.get()).as("browsing must wake nothing").isEqualTo(constructed);
  }

  @Test
  void aBadObjectAddressIsRefused() {
    s.get(NS + "/app-Notes/objects/xyz/tables").fails(400, 10001,
        "Invalid Durable Object ID: must be 64 hex digits (to address an object by name, use name:<name>)");
    String plainId = s.runtime.namespace("PLAIN").idFromName("a").toString();
    s.get(NS + "/app-Notes/objects/" + plainId).fails(400, 10001,
        "Durable Object ID is not valid for this namespace. (to address an object by name, use name:<name>)");
    s.get(NS + "/app-Nope/objects/name:a/tables").failsWith(404, 10066);
    String id = s.runtime.namespace("NOTES").idFromName("studio").toString();
    assertThat(s.get(NS + "/app-Notes/objects/" + id).ok().get("name").asText())
        .as("an object addressed by id shows its stored name").isEqualTo("studio");
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> files() throws IOException {
    Path dir = state.resolve("do").resolve("app-Notes");
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("-shm") && !n.endsWith("-wal"))
          .sorted().toList();
    }
  }

  @Test
  void anObjectNameWithALineBreakCannotAddStatementsToTheSqlExport() throws Exception {
    String evil = "evil')\nDROP TABLE IF EXISTS victim; -- \r\u2028x";
    String object = NS + "/app-Notes/objects/name:"
        + URLEncoder.encode(evil, StandardCharsets.UTF_8).replace("+", "%20");
    s.put(object + "/kv/k", "{\"value\":1}").ok();

    String sql = s.get(object + "/export?format=sql").text();

    assertThat(sql.lines().findFirst().orElseThrow()).as("the export's first line")
        .startsWith("-- Export of Durable Object app-Notes/")
        .endsWith(" ('evil')\\u000aDROP TABLE IF EXISTS victim; -- \\u000d\\u2028x')");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE victim (v INTEGER)");
      st.executeUpdate(sql);
      assertThat(count(st, "SELECT count(*) FROM sqlite_master WHERE name = 'victim'"))
          .as("the victim table after running the export").isEqualTo(1);
    }
  }

  @Test
  void anAlarmCenturiesAheadIsSetShownAndDeletedAndTheStateDirectoryStartsAgain() {
    String alarm = OBJ + "/alarm";
    assertThat(s.put(alarm, "{\"scheduled_time\":\"2400-01-01T00:00:00Z\"}").ok().get("scheduled_time")
        .asText()).isEqualTo("2400-01-01T00:00:00Z");
    for (int i = 0; i < 20; i++) {
      s.put(OBJ + "/kv/k" + i, "{\"value\":" + i + "}").ok(); // each answered 500 before, yet committed
    }
    s.put(alarm, "{\"scheduled_time\":\"+275760-09-13T00:00:00.001Z\"}")
        .failsWith(400, 10001);
    assertThat(s.get(alarm).ok().get("scheduled_time").asText()).isEqualTo("2400-01-01T00:00:00Z");

    s.close();
    s = ExplorerServer.start(state); // failed with "long overflow" while the row was stored

    assertThat(s.get(alarm).ok().get("scheduled_time").asText()).isEqualTo("2400-01-01T00:00:00Z");
    assertThat(s.get(OBJ + "/kv/k19").ok().toString()).contains("19");
    assertThat(s.delete(alarm).ok().toString()).isEqualTo("{\"scheduled_time\":null,\"epoch_millis\":null}");
    s.close();
    s = ExplorerServer.start(state);
    assertThat(s.get(alarm).ok().toString()).isEqualTo("{\"scheduled_time\":null,\"epoch_millis\":null}");
  }
}
