package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Tab offers at each position of each command, read from a real emulator. */
class CompletionTest {
  @TempDir
  static Path dir;
  static ReplServer server;
  static Session session;
  static ReplCompleter completer;

  @BeforeAll
  static void start() {
    server = ReplServer.start(dir);
    ReplServer.Run setup = server.piped("""
        use SHOP corner
        put item:apples 1
        put item:pears 2
        put note "n"
        CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, qty INTEGER);
        CREATE VIEW big AS SELECT * FROM orders WHERE qty > 10;
        use SHOP "main street"
        put x 1
        """);
    assertThat(setup.status()).as(setup.toString()).isZero();
    session = new Session(new ExplorerClient(server.url(), null), Session.Format.TABLE);
    completer = new ReplCompleter(CommandTable.standard(), session);
  }

  @BeforeEach
  void noObjectInUse() {
    session.use(null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The values offered for the last word of a line as typed (the cursor at its end). */
  private static List<String> offered(String typed) {
    Parser parser = new ReplParser();
    var line = parser.parse(typed, typed.length(), Parser.ParseContext.COMPLETE);
    return completer.candidates(line.words(), line.wordIndex()).stream().map(Candidate::value).toList();
  }

  private static void use(String name) {
    session.use(new Target(session.namespaces().resolve("SHOP"), name, null));
  }

  @Test
  void theFirstWordIsACommandOrASqlKeyword() {
    List<String> first = offered("");
    assertThat(first).contains("namespaces", "objects", "use", "info", "evict", "get", "put", "delete",
        "list", "tables", "schema", "sql", "call", "fetch", "alarm", "format", "help", "exit");
    assertThat(first).contains("SELECT", "INSERT", "UPDATE", "CREATE", "DROP", "WITH", "PRAGMA")
        .as("delete is a command; DELETE FROM comes after it").doesNotContain("DELETE");
  }

  @Test
  void namespacesAreOfferedByBindingName() {
    assertThat(offered("use ")).containsExactlyInAnyOrder("SHOP", "PLAIN");
    assertThat(offered("objects ")).containsExactlyInAnyOrder("SHOP", "PLAIN");
  }

  @Test
  void objectsAreOfferedByNameForTheNamespaceBeforeThem() {
    assertThat(offered("use SHOP ")).containsExactlyInAnyOrder("corner", "main street");
    assertThat(offered("use shop co")).as("bindings in any case").contains("corner");
    assertThat(offered("use PLAIN ")).isEmpty();
    assertThat(offered("use NOPE ")).as("an unknown namespace offers nothing, quietly").isEmpty();
  }

  @Test
  void keysTablesAndMethodsComeFromTheObjectInUse() {
    assertThat(offered("get ")).as("no object in use: nothing").isEmpty();
    use("corner");
    assertThat(offered("get ")).containsExactly("item:apples", "item:pears", "note");
    assertThat(offered("get item:")).containsExactly("item:apples", "item:pears");
    assertThat(offered("put ")).contains("note");
    assertThat(offered("delete ")).containsExactly("FROM", "item:apples", "item:pears", "note");
    assertThat(offered("list ")).contains("item:apples");
    assertThat(offered("schema ")).containsExactly("big", "orders");
    assertThat(offered("call ")).containsExactly("add", "fail", "greet", "items", "slow");
    assertThat(offered("call add ")).as("JSON arguments: nothing to offer").isEmpty();
  }

  @Test
  void sqlOffersKeywordsTablesAndColumnsAtEveryWord() {
    use("corner");
    for (String typed : List.of("SELECT ", "select id, ", "SELECT * FROM ", "sql SELECT * FROM orders WHERE ",
        "delete from ", "UPDATE orders SET ")) {
      assertThat(offered(typed)).as(typed).contains("orders", "big", "id", "item", "qty", "FROM", "WHERE", "SELECT");
    }
  }

  @Test
  void fixedWordsForMethodsActionsFormatsAndHelp() {
    assertThat(offered("fetch ")).containsExactly("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    assertThat(offered("fetch GET ")).isEmpty();
    assertThat(offered("alarm ")).containsExactly("set", "delete", "run");
    assertThat(offered("format ")).containsExactly("json", "table");
    assertThat(offered("help ")).contains("use", "call", "alarm");
    assertThat(offered("frobnicate ")).isEmpty();
  }

  @Test
  void aNameWithBlanksIsCompletedInQuotesThatTheCommandReads() {
    Parser parser = new ReplParser();
    var line = (org.jline.reader.CompletingParsedLine) parser.parse("use SHOP mai", 12, Parser.ParseContext.COMPLETE);
    assertThat(line.escape("main street", true).toString()).isEqualTo("'main street'");
    Command use = CommandTable.standard().find("use");
    Arguments args = new Arguments(use, " SHOP 'main street'");
    assertThat(Arrays.asList(args.next("ns"), args.next("object"))).containsExactly("SHOP", "main street");
    assertThat(parser).isInstanceOf(DefaultParser.class);
  }
}
