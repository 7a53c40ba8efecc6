package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the REPL reaches an emulator: an explorer token, or an emulator it starts itself. */
class ConnectionTest {
  @TempDir
  Path dir;

  @Test
  void theExplorerTokenIsSentFromTheOptionOrTheEnvironment() throws Exception {
    try (ReplServer server = ReplServer.start(dir, o -> o.explorerToken("s3cret"))) {
      ReplServer.Run without = server.piped("namespaces\n");
      assertThat(without.status()).as(without.toString()).isEqualTo(1);
      assertThat(without.err().lines().toList()).as(without.toString()).hasSize(1);
      assertThat(without.err()).as(without.toString()).isEqualTo("The explorer needs its token: send"
          + " 'Authorization: Bearer <token>' (the token given with --explorer-token). Give the REPL"
          + " the token with --explorer-token or DURABLE_EXPLORER_TOKEN.\n");

      ReplServer.Run withOption = server.piped("use SHOP t\ncall greet \"token\"\n", "--explorer-token", "s3cret");
      assertThat(withOption.status()).as(withOption.toString()).isZero();
      assertThat(withOption.lines()).last().isEqualTo("\"hello token\"");

      ReplServer.Run fromEnv = ReplServer.run(List.of("--url", server.url()),
          new ByteArrayInputStream("use SHOP t\ncall greet \"env\"\n".getBytes()),
          Map.of("DURABLE_EXPLORER_TOKEN", "s3cret"));
      assertThat(fromEnv.status()).as(fromEnv.toString()).isZero();
      assertThat(fromEnv.lines()).last().isEqualTo("\"hello env\"");
    }
  }

  @Test
  void embeddedStartsAnEmulatorInProcessAndKeepsStateInTheDirectoryGiven() throws Exception {
    Path config = writeConfig();
    Path state = dir.resolve("state");
    List<String> embedded = List.of("--embedded", "--config", config.toString(),
        "--classpath", testClasses().toString(), "--state", state.toString());

    ReplServer.Run first = run(embedded, "use SHOP kept\ncall add \"plums\" 4\n");
    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.lines()).as(first.toString()).containsExactly(
        "Using SHOP/kept: nothing stored yet (the object is made when something is written).", "4");

    ReplServer.Run second = run(embedded, "use SHOP kept\nget item:plums\nobjects\n");
    assertThat(second.status()).as(second.toString()).isZero();
    assertThat(second.out()).as("state kept between runs").contains("4\n").contains(" kept | ");
    assertThat(Files.isDirectory(state.resolve("do").resolve("embedded-Shop"))).isTrue();

    ReplServer.Run inMemory = run(List.of("--embedded", "--config", config.toString(),
        "--classpath", testClasses().toString(), "--in-memory"), "objects SHOP\n");
    assertThat(inMemory.out()).as(inMemory.toString()).contains("(0 objects in SHOP)");
  }

  @Test
  void anEmbeddedEmulatorThatCannotStartSaysWhyInOneLine() throws Exception {
    Path config = dir.resolve("durable.jsonc");
    Files.writeString(config, """
        {"name": "broken", "durable_objects": {"bindings": [
          {"name": "X", "class_name": "com.example.Missing"}]}}
        """);
    ReplServer.Run run = run(List.of("--embedded", "--config", config.toString(),
        "--classpath", testClasses().toString(), "--in-memory"), "namespaces\n");
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).as(run.toString())
        .startsWith("durable repl: the embedded emulator did not start: ").contains("com.example.Missing");
    assertThat(run.err().lines().toList()).as(run.toString()).hasSize(1);

    ReplServer.Run noConfig = run(List.of("--embedded", "--config", dir.resolve("nope.jsonc").toString()), "");
    assertThat(noConfig.status()).isEqualTo(2);
    assertThat(noConfig.err()).startsWith("durable repl: no configuration at " + dir.resolve("nope.jsonc"));
  }

  private Path writeConfig() throws Exception {
    Path config = dir.resolve("durable.jsonc");
    Files.writeString(config, """
        // The REPL's embedded emulator in a test.
        {
          "name": "embedded",
          "durable_objects": {"bindings": [
            {"name": "SHOP", "class_name": "%s"}
          ]},
          "migrations": [{"tag": "v1", "new_sqlite_classes": ["Shop"]}]
        }
        """.formatted(TestObjects.Shop.class.getName()));
    return config;
  }

  private static Path testClasses() throws URISyntaxException {
    return Path.of(TestObjects.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ReplServer.Run run(List<String> args, String stdin) {
    return ReplServer.run(args, new ByteArrayInputStream(stdin.getBytes()), Map.of());
  }
}
