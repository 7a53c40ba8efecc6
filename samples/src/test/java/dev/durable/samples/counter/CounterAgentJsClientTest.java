package dev.durable.samples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloudflare's own JavaScript client, {@code AgentClient} from npm {@code agents@0.32.0} (pinned
 * in src/test/js/agent-client/package-lock.json), drives the samples' {@link CounterAgent} over
 * real WebSockets: connect, initial state, a callable call, a second client receiving the state
 * change, a client's own setState, and the errors of an unknown and of a non-callable method.
 *
 * <p>The emulator serves samples/durable.jsonc on a free loopback port; the script runs under
 * Node with the {@code ws} package as its WebSocket. Its packages are installed with
 * {@code npm ci} into target/agent-client when missing, so this test needs Node and the npm
 * registry the first time: without them it fails saying so, it never skips.
 */
class CounterAgentJsClientTest {
  private static final Path SCRIPT_SOURCE = Path.of("src/test/js/agent-client");
  private static final Path WORK = Path.of("target/agent-client");
  private static final List<String> FILES = List.of("package.json", "package-lock.json", "counter-agent.mjs");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path state;

  @Test
  void cloudflaresAgentClientDrivesTheJavaCounterAgentUnchanged() throws Exception {
    installClient();
    JsonNode report;
    try (Emulator emulator = Emulator.start(EmulatorOptions.forProject(Path.of("durable.jsonc"),
            List.of(Path.of("target/classes")))
        .withServer(DevServer.Options.defaults().port(0))
        .withStateDirectory(state)
        .withLiveReload(false))) {
      String host = emulator.url().replaceFirst("^http://", "").replaceFirst("/$", "");
      report = run(List.of("node", "counter-agent.mjs", host, "js-client"), 120);
    }
    assertThat(report.path("ok").asBoolean())
        .as("the JavaScript client finished; its report: %s", report).isTrue();
    JsonNode seen = report.get("seen");
    assertThat(seen.get("identity").toString())
        .isEqualTo("{\"name\":\"js-client\",\"agent\":\"counter-agent\",\"identified\":true}");
    assertThat(seen.get("initialState").toString()).isEqualTo("{\"count\":0}");
    assertThat(seen.get("bobInitialState").toString()).isEqualTo("{\"count\":0}");
    assertThat(seen.get("incrementResult").asLong()).isEqualTo(2);
    assertThat(seen.get("adaStateAfterIncrement").toString()).isEqualTo("{\"count\":2}");
    assertThat(seen.get("bobStateAfterIncrement").toString()).isEqualTo("{\"count\":2}");
    assertThat(seen.get("stubResult").asLong()).isEqualTo(5);
    assertThat(seen.get("adaStateAfterStub").toString()).isEqualTo("{\"count\":5}");
    assertThat(seen.get("bobStateAfterStub").toString()).as("the caller gets the new state too")
        .isEqualTo("{\"count\":5}");
    assertThat(seen.get("bobStateAfterClientSetState").toString()).isEqualTo("{\"count\":40}");
    assertThat(seen.get("unknownMethodError").asText()).isEqualTo("Method nope does not exist");
    assertThat(seen.get("notCallableError").asText()).isEqualTo("Method onRequest is not callable");
  }

  /** Copies the script and its pinned packages to target/, and runs {@code npm ci} when they changed. */
  private static void installClient() throws Exception {
    Files.createDirectories(WORK);
    for (String f : FILES) {
      Files.copy(SCRIPT_SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path installed = WORK.resolve("node_modules/.installed-from-lock");
    byte[] lock = Files.readAllBytes(WORK.resolve("package-lock.json"));
    if (Files.exists(installed) && Arrays.equals(Files.readAllBytes(installed), lock)) {
      return;
    }
    JsonNode npm = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), 300);
    if (!npm.path("ok").asBoolean()) {
      throw new AssertionError("npm ci could not install the JavaScript client (agents@0.32.0) into "
          + WORK + "; this test needs Node and the npm registry once. npm said:\n" + npm.path("output").asText()
          .lines().filter(l -> !l.contains("EBADENGINE")).collect(java.util.stream.Collectors.joining("\n")));
    }
    Files.write(installed, lock);
  }

  /**
   * Runs a command in target/agent-client and returns its last line of output as JSON, or
   * {@code {"ok":false,"output":...}} when it failed or printed no JSON.
   */
  private static JsonNode run(List<String> command, int timeoutSeconds) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + command.get(0) + " (is Node.js 20+ with npm installed and on"
          + " the PATH?): " + e.getMessage(), e);
    }
    p.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (var in = p.inputReader(StandardCharsets.UTF_8)) {
        in.lines().forEach(lines::add);
      } catch (IOException e) {
        lines.add("(output unreadable: " + e.getMessage() + ")");
      }
    });
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    reader.join();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (command.get(0).equals("node") && last.startsWith("{")) {
      return JSON.readTree(last);
    }
    return JSON.createObjectNode().put("ok", p.exitValue() == 0).put("output", String.join("\n", lines));
  }
}
