package dev.durable.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.ServerTestApp;
import dev.durable.internal.server.ToolGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCommandTest {
  @TempDir
  Path project;
  private Path config;

  @BeforeEach
  void project() throws IOException {
    config = project.resolve("durable.jsonc");
    Files.writeString(config, "{ \"name\": \"x\" }");
    Files.createDirectories(project.resolve("target/classes"));
  }

  @Test
  void defaultsServeTheProjectOnLoopbackWithStateBesideTheConfig() {
    DevCommand.Parsed p = DevCommand.parse(new String[] {"--config", config.toString()}, null);
    assertThat(p.options().server().host()).isEqualTo("127.0.0.1");
    assertThat(p.options().server().port()).isEqualTo(8787);
    assertThat(p.options().stateDirectory()).isEqualTo(project.toAbsolutePath().resolve(".durable/state"));
    assertThat(p.options().classpath()).containsExactly(project.toAbsolutePath().resolve("target/classes"));
    assertThat(p.options().liveReload()).isTrue();
    assertThat(p.logLevel()).isEqualTo("info");
  }

  @Test
  void everyOptionIsRead() {
    DevCommand.Parsed p = DevCommand.parse(new String[] {"--config", config.toString(), "--port", "0",
        "--host", "::1", "--in-memory", "--idle-timeout", "500ms", "--log-level", "DEBUG",
        "--explorer-token", "t", "--fsync", "--delete-state", "--no-reload", "--max-body", "10",
        "--share-files", "--classpath", project.toString()}, null);
    assertThat(p.options().server().port()).isZero();
    assertThat(p.options().server().host()).isEqualTo("::1");
    assertThat(p.options().stateDirectory()).isNull();
    assertThat(p.options().idleTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.options().server().explorerToken()).isEqualTo("t");
    assertThat(p.options().server().maxBodyBytes()).isEqualTo(10);
    assertThat(p.options().fsync()).isTrue();
    assertThat(p.options().deleteState()).isTrue();
    assertThat(p.options().liveReload()).isFalse();
    assertThat(p.options().shareFiles()).isTrue();
    assertThat(p.logLevel()).isEqualTo("debug");
  }

  @Test
  void theExplorerTokenComesFromTheEnvironmentToo() {
    assertThat(DevCommand.parse(new String[] {"--config", config.toString()}, "secret")
        .options().server().explorerToken()).isEqualTo("secret");
  }

  @Test
  void mistakesNameTheOptionAndWhatWasWrong() {
    String c = config.toString();
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--prot", "1"}, null))
        .hasMessage("unknown option '--prot'");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--port", "http"}, null))
        .hasMessage("--port must be a number, got 'http'");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--port", "70000"}, null))
        .hasMessage("--port must be within 0..65535, got 70000");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--port"}, null))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--idle-timeout", "soon"}, null))
        .hasMessageContaining("--idle-timeout must be a duration such as 0, 500ms, 10s, 2m or 1h, got 'soon'");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--log-level", "loud"}, null))
        .hasMessageContaining("--log-level must be error, warn, info or debug, got 'loud'");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--in-memory", "--state", "s"}, null))
        .hasMessageContaining("--in-memory and --state");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", project.resolve("nope.jsonc").toString()}, null))
        .hasMessageContaining("no configuration at").hasMessageContaining("nope.jsonc");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--classpath", "missing-dir"}, null))
        .hasMessage("--classpath entry missing-dir does not exist");
  }

  @Test
  void anotherHostThanLoopbackIsRefusedWithoutAnExplorerToken() {
    String c = config.toString();
    for (String host : new String[] {"0.0.0.0", "::", "192.0.2.2"}) {
      assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--host", host}, null))
          .as("--host %s without a token", host)
          .hasMessage("--host " + host + " lets other machines reach your worker and the explorer;"
              + " set --explorer-token (or DURABLE_EXPLORER_TOKEN) too");
    }
    assertThat(DevCommand.parse(new String[] {"--config", c, "--host", "0.0.0.0"}, "secret")
        .options().server().host()).isEqualTo("0.0.0.0");
    assertThat(DevCommand.parse(new String[] {"--config", c, "--host", "0.0.0.0", "--explorer-token", "t"},
        null).options().server().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void aStateDirectoryThatCannotBeWrittenGetsOneLineNotAStackTrace() throws IOException {
    // Migrations applied, but a directory where the namespace's alarm store should be: it cannot
    // be opened, as in a read-only state directory (which a test run as root cannot make).
    Path state = project.resolve("state");
    Files.createDirectories(state.resolve("do"));
    Files.writeString(state.resolve("do/migrations.json"), "{\"x\": [\"v1\"]}");
    Path namespace = Files.createDirectories(state.resolve("do/x-Counter/metadata.sqlite")).getParent();
    Files.writeString(config, "{ \"name\": \"x\", \"durable_objects\": { \"bindings\": [ { \"name\": \"C\","
        + " \"class_name\": \"" + ServerTestApp.Counter.class.getName() + "\" } ] },"
        + " \"migrations\": [ { \"tag\": \"v1\", \"new_sqlite_classes\": [\"Counter\"] } ] }");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = DurableCommand.run(new String[] {"dev", "--config", config.toString(), "--port", "0",
        "--state", state.toString(), "--classpath", testClasses()}, System.out, new PrintStream(err));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(status).as(printed).isEqualTo(1);
    assertThat(printed).startsWith("durable dev: ").contains(namespace.toString()).doesNotContain("\tat ");
    assertThat(printed.lines()).as(printed).hasSize(1);
  }

  private static String testClasses() {
    try {
      return Path.of(ServerTestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aHostThatIsNoAddressGetsOneLineNotAStackTrace() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = DurableCommand.run(new String[] {"dev", "--config", config.toString(), "--host",
        "999.1.1.1", "--explorer-token", "t"}, System.out, new PrintStream(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("durable dev: --host '999.1.1.1' is"
        + " neither an IP address nor a known host name" + System.lineSeparator()
        + "Run 'durable dev --help' for the options." + System.lineSeparator());
  }

  @Test
  void badUsageExitsWith2AndPointsToTheHelp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = DurableCommand.run(new String[] {"dev", "--config", config.toString(), "--bogus"},
        new PrintStream(out), new PrintStream(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("durable dev: unknown option '--bogus'").contains("durable dev --help");
  }

  @Test
  void helpListsEveryOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(DurableCommand.run(new String[] {"dev", "--help"}, new PrintStream(out), System.err)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config", "--classpath", "--port", "--host",
        "--state", "--in-memory", "--idle-timeout", "--log-level", "--explorer-token", "--fsync",
        "--delete-state", "--no-reload", "--max-body", "--share-files", "--explorer-ui",
        "--websocket-compress-min");
  }

  @Test
  void anotherExplorerUiAndTheWebSocketCompressionThresholdAreRead() throws Exception {
    Path ui = Files.createDirectories(project.resolve("ui"));
    Files.writeString(ui.resolve("index.html"), "<!doctype html>");
    String c = config.toString();
    DevCommand.Parsed p = DevCommand.parse(new String[] {"--config", c, "--explorer-ui", ui.toString(),
        "--websocket-compress-min", "0"}, null);
    assertThat(p.options().server().explorerUi()).isEqualTo(ui);
    assertThat(p.options().server().webSocketCompressionMin()).isZero();
    assertThat(DevCommand.parse(new String[] {"--config", c, "--websocket-compress-min", "off"}, null)
        .options().server().webSocketCompressionMin()).isEqualTo(DevServer.Options.COMPRESSION_OFF);
    assertThat(DevCommand.parse(new String[] {"--config", c}, null).options().server().webSocketCompressionMin())
        .isEqualTo(1024);
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--websocket-compress-min", "-1"}, null))
        .hasMessage("--websocket-compress-min must be a number of bytes (0 or more) or 'off', got '-1'");
    assertThatThrownBy(() -> DevCommand.parse(new String[] {"--config", c, "--explorer-ui", project.toString()}, null))
        .hasMessageContaining("--explorer-ui needs a directory holding an explorer UI's index.html")
        .hasMessageContaining("has none");
  }

  @Test
  void loopbackHostsAreRecognised() {
    assertThat(ToolGuard.isLoopback("127.0.0.1")).isTrue();
    assertThat(ToolGuard.isLoopback("localhost")).isTrue();
    assertThat(ToolGuard.isLoopback("::1")).isTrue();
    assertThat(ToolGuard.isLoopback("0.0.0.0")).isFalse();
    assertThat(ToolGuard.isLoopback("192.168.1.5")).isFalse();
  }

  @Test
  void anUnknownCommandIsNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(DurableCommand.run(new String[] {"deploy"}, System.out, new PrintStream(err))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'deploy'");
  }
}
