package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive console, driven over JLine's dumb terminal: prompts, editing keys, history. */
class ConsoleTest {
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

  private ConsoleSession console(String type, Path history, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--url", server.url(), "--history", history.toString()));
    args.addAll(List.of(more));
    return new ConsoleSession(type, args);
  }

  @Test
  void oneFullExchangeAtTheConsole() {
    try (ConsoleSession c = console("dumb", dir.resolve("history"))) {
      assertThat(c.waitFor("durable> ")).contains("durable repl on " + server.url()
          + ": namespaces SHOP, PLAIN.").contains("Type 'help' for the commands");
      c.type("use SHOP corner\n");
      assertThat(c.waitFor("SHOP/corner> ")).contains("Using SHOP/corner: nothing stored yet");
      c.type("call add \"figs\" 2\n");
      assertThat(c.waitFor("SHOP/corner> ")).as("the line echoed, then the result")
          .isEqualTo("call add \"figs\" 2\n2\nSHOP/corner> ");
      c.type("SELECT 1 +\n");
      c.type("2 AS three;\n");
      assertThat(c.waitFor("SHOP/corner> ")).as("SQL over two lines until ';'")
          .contains(" three\n-------\n     3\n(1 row)\n");
      c.type("frobnicate\n");
      assertThat(c.waitFor("SHOP/corner> ")).contains("Error: Unknown command 'frobnicate'.");
      c.type("\u0004");
      assertThat(c.exitStatus()).as(c.screen()).isZero();
      assertThat(c.screen()).as("no colour on a dumb terminal").doesNotContain("\u001b[");
    }
  }

  @Test
  void historyIsKeptInItsFileAndRecalledByTheNextSession() throws Exception {
    Path history = dir.resolve("history");
    try (ConsoleSession first = console("ansi", history, "--no-color")) {
      first.waitFor("durable> ");
      first.type("use SHOP h\n");
      first.waitFor("SHOP/h> ");
      first.type("call greet \"again\"\n");
      first.waitFor("SHOP/h> ");
      first.type("exit\n");
      assertThat(first.exitStatus()).isZero();
    }
    assertThat(Files.readString(history)).contains("use SHOP h").contains("call greet \"again\"");

    try (ConsoleSession second = console("ansi", history, "--no-color")) {
      second.waitFor("durable> ");
      second.type("\u0010\u0010\u0010\n"); // Ctrl-P three times: back past exit and the call
      assertThat(second.waitFor("SHOP/h> ")).contains("Using SHOP/h");
      second.type("\u0010\u0010\u0010\n"); // now past use, exit: the call
      assertThat(second.waitFor("SHOP/h> ")).contains("\"hello again\"");
      second.type("\u0004");
      assertThat(second.exitStatus()).isZero();
    }
  }

  @Test
  void tabCompletesWhatIsTypedAndColourShowsOnATerminalThatHasIt() {
    ReplServer.Run setup = server.piped("use SHOP \"main street\"\nput x 1\n");
    assertThat(setup.status()).as(setup.toString()).isZero();
    try (ConsoleSession c = console("ansi", dir.resolve("history"))) {
      c.waitFor("durable>");
      c.type("use SH\tmai\t\n"); // a name with a blank is completed in quotes
      c.waitFor("Using SHOP/main street: 0 tables, 1 key-value entry, no alarm.");
      c.type("ca\tgr\t\"tab\"\n");
      assertThat(c.waitFor("\"hello tab\"")).contains("call greet \"tab\"");
      c.type("frobnicate\n");
      assertThat(c.waitFor("Unknown command")).as("errors in red").contains("\u001b[31mError: ");
      c.type("\u0004");
      assertThat(c.exitStatus()).isZero();
      assertThat(c.screen()).as("the prompt in bold green")
          .containsPattern("(\u001b\\[[0-9;]*m)+SHOP/main street>");
    }
  }

  @Test
  void ctrlCDropsTheLineBeingTypedOrAbandonsARunningCommand() throws Exception {
    TestObjects.Shop.entered = new CountDownLatch(1);
    TestObjects.Shop.release = new CountDownLatch(1);
    try (ConsoleSession c = console("ansi", dir.resolve("history"), "--no-color")) {
      c.waitFor("durable> ");
      c.type("use SHOP c\n");
      c.waitFor("SHOP/c> ");
      c.type("put lost 1");
      c.waitFor("put lost 1"); // read by the console: Ctrl-C now drops it
      c.type("\u0003");
      c.waitFor("SHOP/c> ");
      c.type("list\n");
      assertThat(c.waitFor("SHOP/c> ")).as("the dropped line never ran").contains("(0 entries)");

      c.type("call slow\n");
      assertThat(TestObjects.Shop.entered.await(60, TimeUnit.SECONDS)).as("slow() started").isTrue();
      c.type("\u0003");
      assertThat(c.waitFor("SHOP/c> ")).contains("Error: Cancelled; the emulator may still finish the request.");
      TestObjects.Shop.release.countDown();
      c.type("call greet \"after\"\n");
      assertThat(c.waitFor("SHOP/c> ")).contains("\"hello after\"");
      c.type("exit\n");
      assertThat(c.exitStatus()).isZero();
    } finally {
      TestObjects.Shop.release.countDown();
    }
  }
}
