package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.DurableObjectNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts against a real emulator: every command, both output formats, errors and exit status. */
class ScriptModeTest {
  /** "(in 26324d)" or "(in 26324d 23h)", depending on the hour the test runs. */
  static final String SOME_DAYS = "\\(in \\d+d(?: \\d+h)?\\)";

  @TempDir
  Path dir;
  private ReplServer server;

  @BeforeEach
  void start() {
    server = ReplServer.start(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyCommandRunsFromAScriptAndPrintsAlignedTables() {
    ReplServer.Run run = server.script("""
        # Set up a shop, then look at it from every side.
        namespaces
        objects SHOP
        use SHOP corner

        call add "apples" 3
        call add "pears" 10
        call items
        put note {"text": "open at 9", "days": [1, 2]}
        put "with space" "yes"
        get note
        list
        list item:
        delete note
        delete note
        CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL,
          qty INTEGER DEFAULT 1);
        INSERT INTO orders (item, qty) VALUES ('apples', 2), ('pears', NULL);
        sql SELECT id, item, qty FROM orders ORDER BY id
        tables
        schema orders
        fetch POST /order {"item": "plums"}
        fetch GET /stock
        alarm
        alarm set 2099-01-01T00:00:00Z
        alarm
        alarm delete
        alarm set +1h
        alarm run
        get alarmed
        info
        evict
        objects
        help
        help put
        exit
        namespaces
        """);

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
    String id = shop(server).idFromName("corner").toString();
    String out = run.out()
        // The distance is measured from the wall clock: every shape it takes at any hour of the
        // day (AlarmDistanceTest shows them) reads the same here.
        .replaceAll(SOME_DAYS, "(in some days)")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(in (?:1h|59m \\d+s)\\)", "<an hour from now> (in 1h)")
        .replaceAll("\"\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\"", "\"<an hour from now>\"")
        .replaceAll("data, [\\d.]+ KiB on disk", "data, <size> on disk");
    assertThat(out).isEqualTo("""
         binding | class                              | namespace id | methods
        ---------+------------------------------------+--------------+-------------------------------
         SHOP    | dev.durable.repl.TestObjects$Shop  | app-Shop     | add, fail, greet, items, slow
         PLAIN   | dev.durable.repl.TestObjects$Plain | app-Plain    |
        (2 namespaces)
         name | id | stored
        ------+----+--------
        (0 objects in SHOP)
        Using SHOP/corner: nothing stored yet (the object is made when something is written).
        3
        10
        {
          "apples" : 3,
          "pears" : 10
        }
        Stored 'note' (33 bytes).
        Stored 'with space' (5 bytes).
        {
          "text" : "open at 9",
          "days" : [ 1, 2 ]
        }
         key         | value
        -------------+-----------------------------------
         item:apples | 3
         item:pears  | 10
         note        | {"text":"open at 9","days":[1,2]}
         with space  | "yes"
        (4 entries)
         key         | value
        -------------+-------
         item:apples | 3
         item:pears  | 10
        (2 entries)
        Deleted 'note'.
        No entry 'note'; nothing deleted.
        OK.
        OK (2 rows written).
         id | item   | qty
        ----+--------+------
          1 | apples |    2
          2 | pears  | NULL
        (2 rows)
         name   | type  | rows | columns
        --------+-------+------+---------------
         orders | table |    2 | id, item, qty
        (1 table)
         column | type    | not null | default | key
        --------+---------+----------+---------+-------------
         id     | INTEGER |          | NULL    | primary key
         item   | TEXT    | yes      | NULL    |
         qty    | INTEGER |          | 1       |
        table orders: 2 rows
        HTTP 201
        content-type: text/plain;charset=UTF-8
        x-method: POST

        POST /order {"item": "plums"}
        HTTP 201
        content-type: text/plain;charset=UTF-8
        x-method: GET

        GET /stock\s
        No alarm is set.
        Alarm set for 2099-01-01T00:00:00Z (in some days).
        Alarm at 2099-01-01T00:00:00Z (in some days).
        Deleted the alarm that was due at 2099-01-01T00:00:00Z.
        Alarm set for <an hour from now> (in 1h).
        Ran the alarm handler; no alarm is set now.
        "<an hour from now>"
        object     SHOP/corner
        id         %1$s
        namespace  app-Shop (SHOP, dev.durable.repl.TestObjects$Shop)
        stored     yes, 16.0 KiB of data, <size> on disk
        in memory  yes
        key-value  4 entries
        tables     orders (2 rows)
        alarm      none
        facets     none
        Evicted SHOP/corner: the next call runs its constructor again.
         name   | id                                                               | stored
        --------+------------------------------------------------------------------+--------
         corner | %1$s | true
        (1 object in SHOP)
        """.formatted(id) + helpText() + """
        put <key> <json>

          Stores a value under a key of the object in use, as the object's own put() would.
          The value is JSON: strings need their quotes.
            put count 41
            put user {"name": "Ada", "tags": ["admin"]}
            put greeting "hello"
        """);
    assertThat(server.runtime.tools().isLive(shop(server).getByName("corner")))
        .as("evicted, and nothing after 'exit' ran").isFalse();
  }

  private static String helpText() {
    return """
        Commands (a line that starts with a SQL keyword runs as SQL, until ';'):
          namespaces                         List namespaces, their classes and methods
          objects [namespace]                List a namespace's objects
          use <namespace> <name|id> [facet]  Work on one object (the prompt shows it)
          info                               Show the object: size, tables, entries, alarm
          evict                              Drop the object's instance from memory
          get <key>                          Show a key-value entry's value
          put <key> <json>                   Store a JSON value under a key
          delete <key>                       Delete a key-value entry
          list [prefix]                      List key-value entries in key order
          tables                             List tables and views with row counts
          schema <table>                     Show a table's columns, keys and indexes
          sql <statement>                    Run SQL now (one line, ';' optional)
          call <method> [json args...]       Call a method of the object (RPC)
          fetch <METHOD> <path> [body]       Send a request to the object's fetch()
          alarm [set <when>|delete|run]      Show, set, delete or run the alarm
          format json|table                  Print results as tables or JSON
          help [command]                     List the commands, or explain one
          exit                               Leave (also: quit, Ctrl-D)
        Type 'help <command>' for details and examples. Tab completes commands,
        namespaces, objects, keys, tables, columns, methods and SQL keywords.
        """;
  }

  @Test
  void useNamesANamespaceByBindingClassOrIdAndAnObjectByNameOrId() {
    String named = shop(server).idFromName("corner").toString();
    String unnamed = shop(server).newUniqueId().toString();
    ReplServer.Run run = server.script("""
        use shop corner
        call add "a" 1
        use Shop corner
        use %1$s corner
        use app-Shop %2$s
        use SHOP %3$s
        put k 1
        objects
        call add "a" 1 2
        """.formatted(TestObjects.Shop.class.getName(), named, unnamed), "--keep-going");
    assertThat(run.lines()).as(run.toString()).startsWith(
        "Using SHOP/corner: nothing stored yet (the object is made when something is written).",
        "1",
        "Using SHOP/corner: 0 tables, 1 key-value entry, no alarm.",
        "Using SHOP/corner: 0 tables, 1 key-value entry, no alarm.",
        "Using SHOP/corner: 0 tables, 1 key-value entry, no alarm.",
        "Using SHOP/" + unnamed.substring(0, 12) + "…: nothing stored yet (the object is made when"
            + " something is written).",
        "Stored 'k' (1 byte).");
    assertThat(run.out()).as("an object without a name is listed by id")
        .contains("\n        | " + unnamed + " | true\n");
    assertThat(run.err()).as(run.toString()).endsWith(":9: Shop.add() takes [2] arguments, got 3\n");
  }

  @Test
  void jsonOutputIsOneDocumentPerResultForPrograms() {
    ReplServer.Run run = server.script("""
        use SHOP json
        call add "figs" 2
        put note {"a": [1, 2]}
        get note
        list
        sql SELECT 1 AS one, 'x' AS two, NULL AS three, x'00ff' AS four
        alarm
        fetch GET /x
        format table
        call greet "table"
        format json
        call greet "json"
        """, "--json");
    assertThat(run.status()).as(run.toString()).isZero();
    List<JsonNode> docs = jsonLines(run.out().replace("\"hello table\"\n", "").replace(
        "Results are printed as tables.\n", ""));
    assertThat(docs).as(run.toString()).hasSize(10);
    assertThat(docs.get(0).get("name").asText()).as("use answers the summary").isEqualTo("json");
    assertThat(docs.get(0).get("hasStoredData").asBoolean()).isFalse();
    assertThat(docs.get(1).asLong()).as("call answers the result itself").isEqualTo(2);
    assertThat(docs.get(2).toString()).isEqualTo("{\"key\":\"note\",\"encoding\":\"json\",\"value\":{\"a\":[1,2]},\"size\":11}");
    assertThat(docs.get(3).get("value").toString()).isEqualTo("{\"a\":[1,2]}");
    assertThat(docs.get(4).findValuesAsText("key")).containsExactly("item:figs", "note");
    assertThat(docs.get(5).toString()).isEqualTo("{\"columns\":[\"one\",\"two\",\"three\",\"four\"],"
        + "\"rows\":[[1,\"x\",null,{\"$blob\":\"AP8=\"}]],\"meta\":{\"rows_read\":1,\"rows_written\":0}}");
    assertThat(docs.get(6).toString()).isEqualTo("{\"scheduled_time\":null,\"epoch_millis\":null}");
    assertThat(docs.get(7).get("status").asInt()).isEqualTo(201);
    assertThat(docs.get(7).get("body").asText()).isEqualTo("GET /x ");
    assertThat(run.out()).as("a format's answer is printed in it; then text until format json")
        .contains("Results are printed as tables.\n\"hello table\"\n{\"format\":\"json\"}\n");
    assertThat(docs.get(8).toString()).isEqualTo("{\"format\":\"json\"}");
    assertThat(docs.get(9).asText()).isEqualTo("hello json");
  }

  @Test
  void aFailedCommandStopsTheScriptWithItsLineNumberAndExitStatus1() {
    ReplServer.Run run = server.script("""
        use SHOP stop
        # a comment, then a blank line

        call add "kiwis" 1
        call fail "out of kiwis"
        call add "kiwis" 1
        """);
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).as(run.toString()).matches(".*script-\\d+\\.durable:5: Shop\\.fail\\(\\) threw"
        + " java\\.lang\\.IllegalStateException: out of kiwis\\R");
    assertThat(run.out()).as("what ran before the failure printed").endsWith("\n1\n");
    ReplServer.Run check = server.script("use SHOP stop\nget item:kiwis\n");
    assertThat(check.lines()).as("line 6 never ran").last().isEqualTo("1");
  }

  @Test
  void keepGoingRunsEveryLineReportsEachErrorAndStillExits1() {
    ReplServer.Run run = server.script("""
        get before-use
        use SHOP going
        call nope
        put k not-json
        put k 1
        get k
        """, "--keep-going");
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    List<String> errors = run.err().lines().map(l -> l.replaceFirst("^.*script-\\d+\\.durable:", "")).toList();
    assertThat(errors).as(run.toString()).containsExactly(
        "1: get: no object in use. Choose one first: use <namespace> <name|id> (namespaces lists"
            + " the namespaces, objects <namespace> their objects)",
        "3: Shop has no public method 'nope'; methods: [add, fail, greet, items, slow]",
        "4: put: value 'not-json' is not JSON; quote a string: \"not-json\". Usage: put <key> <json>");
    assertThat(run.lines()).as(run.toString()).endsWith("Stored 'k' (1 byte).", "1");
  }

  @Test
  void pipedStandardInputIsAScriptAndSqlSpansLinesUntilItsSemicolon() {
    ReplServer.Run run = server.piped("""
        use SHOP piped
        CREATE TABLE t (
          -- a comment; with a semicolon
          name TEXT DEFAULT 'a;b'
        );
        insert into t values ('x'),
          ('y;z');
        select name
          from t
          order by name;
        select nope;
        """);
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).as(run.toString()).endsWith("""
        OK.
        OK (2 rows written).
         name
        ------
         x
         y;z
        (2 rows)
        """);
    assertThat(run.err()).isEqualTo("stdin:11: no such column: nope: SQLITE_ERROR\n");
  }

  @Test
  void sqlWithoutItsClosingSemicolonIsAnErrorAtTheLineItStarts() {
    ReplServer.Run run = server.script("use SHOP open\nnamespaces\nSELECT 1\n  + 2\n");
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).as(run.toString()).endsWith(":3: This SQL statement has no closing ';'"
        + " before the end of the script\n");
  }

  @Test
  void badInputGetsOneClearLineThatNamesWhatWasWrong() {
    ReplServer.Run run = server.script("""
        frobnicate
        obj
        use NOPE a
        use SHOP
        use SHOP bad bad extra
        objects
        format yaml
        alarm set tomorrow
        use SHOP errors
        put "unclosed 1
        call add "x" {"a":
        alarm set tomorrow
        alarm snooze
        fetch G/T /
        schema nope
        get nope
        select * from;
        help nope
        alarm set 1970-01-01T00:00:00Z
        SELECT * FROM _cf_KV;
        SELEC * FROM items;
        SELECT id
          FROM items WHER x = 1;
        """, "--keep-going");
    assertThat(run.status()).isEqualTo(1);
    List<String> errors = run.err().lines().map(l -> l.replaceFirst("^.*script-\\d+\\.durable:", "")).toList();
    assertThat(errors).as(run.toString()).containsExactly(
        "1: Unknown command 'frobnicate'. Type 'help' for the commands.",
        "2: Unknown command 'obj' (did you mean 'objects'?). Type 'help' for the commands.",
        "3: No namespace 'NOPE'. Namespaces: SHOP (app-Shop), PLAIN (app-Plain)",
        "4: use: missing an object name or id. Usage: use <namespace> <name|id> [facet]",
        "5: use: unexpected 'extra'. Usage: use <namespace> <name|id> [facet]",
        "6: objects: which namespace? No object is in use. Usage: objects [namespace]",
        "7: format: 'yaml' is not a format. Usage: format json|table",
        "8: alarm: no object in use. Choose one first: use <namespace> <name|id> (namespaces lists"
            + " the namespaces, objects <namespace> their objects)",
        "10: put: a quote \" is not closed. Usage: put <key> <json>",
        "11: call: argument 2 is not valid JSON: Unexpected end-of-input within/between Object"
            + " entries (at column 10). Usage: call <method> [json args...]",
        "12: alarm: 'tomorrow' is neither an ISO-8601 instant (2030-01-01T00:00:00Z) nor a duration"
            + " from now (+30s, +5m, +1h30m). Usage: alarm [set <when>|delete|run]",
        "13: alarm: unknown action 'snooze'. Usage: alarm [set <when>|delete|run]",
        "14: fetch: 'G/T' is not an HTTP method such as GET or POST. Usage: fetch <METHOD> <path> [body]",
        "15: No table 'nope' in this object; tables: none",
        "16: No key-value entry 'nope' in this object",
        "17: incomplete input: SQLITE_ERROR",
        "18: help: no command 'nope'. Type 'help' for the commands.",
        "19: setAlarm() time must be after the Unix epoch, got 1970-01-01T00:00:00Z",
        "20: access to _cf_KV.key is prohibited: SQLITE_AUTH (tables whose names start with _cf_ are the runtime's own,"
            + " as in Cloudflare; see key-value entries with list and get, the alarm with alarm)",
        "21: Unknown command 'SELEC' (did you mean SQL: SELECT ...?). Type 'help' for the commands.",
        "22: near \"x\": syntax error at line 2, column 19: SQLITE_ERROR");
  }

  @Test
  void noEmulatorAnsweringIsOneLineThatSaysHowToStartOne() {
    int port = freePort();
    ReplServer.Run run = ReplServer.run(List.of("--url", "http://127.0.0.1:" + port),
        new java.io.ByteArrayInputStream("namespaces\n".getBytes()), env());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("No emulator answers at http://127.0.0.1:" + port + ". Start one"
        + " with './durable dev' (or give its address with --url, or run 'durable repl --embedded"
        + " --config durable.jsonc').\n");
  }

  @Test
  void badOptionsExitWith2AndSayWhatWasWrong() {
    ReplServer.Run run = ReplServer.run(List.of("--frob"), new java.io.ByteArrayInputStream(new byte[0]), env());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("durable repl: unknown option '--frob'\nRun 'durable repl --help' for the options.\n");
    assertThat(ReplServer.run(List.of("--url", "localhost:1"), new java.io.ByteArrayInputStream(new byte[0]), env()).err())
        .startsWith("durable repl: --url must start with http:// or https://, got 'localhost:1'");
    assertThat(ReplServer.run(List.of("-f", dir.resolve("none.durable").toString()),
        new java.io.ByteArrayInputStream(new byte[0]), env()).err())
        .startsWith("durable repl: no script at " + dir.resolve("none.durable"));
    assertThat(ReplServer.run(List.of("--state", "x"), new java.io.ByteArrayInputStream(new byte[0]), env()).err())
        .startsWith("durable repl: --config, --classpath, --state and --in-memory go with --embedded");
    ReplServer.Run help = ReplServer.run(List.of("--help"), new java.io.ByteArrayInputStream(new byte[0]), env());
    assertThat(help.status()).isZero();
    assertThat(help.out()).startsWith("Usage: durable repl [options]").contains("--keep-going");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> jsonLines(String out) {
    List<JsonNode> docs = new ArrayList<>();
    for (String line : out.lines().toList()) {
      try {
        docs.add(ExplorerClient.JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("Not a JSON document on its own line: " + line, e);
      }
    }
    return docs;
  }

  static DurableObjectNamespace shop(ReplServer s) {
    return s.runtime.namespace("SHOP");
  }

  static Map<String, String> env() {
    return Map.of();
  }
}
