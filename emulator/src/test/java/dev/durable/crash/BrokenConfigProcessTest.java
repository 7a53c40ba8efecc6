package dev.durable.crash;

import dev.durable.testsupport.DevServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit status a shell sees: {@code durable dev} on a broken configuration is a process that
 * exits 1 with the problem on one line, and serves nothing. (Every kind of mistake is covered
 * in-process by {@code ConfigMistakesTest}.)
 */
class BrokenConfigProcessTest {
  @TempDir
  Path dir;

  @Test
  void aBrokenConfigurationEndsTheProcessWithStatus1AndTheProblemOnOneLine() throws Exception {
    Path config = dir.resolve("durable.jsonc");
    Files.writeString(config, "{\n  \"name\": \"crash\",\n  \"durable_objects\": { \"bindings\": [\n"
        + "    { \"name\": \"COUNTER\", \"class_name\": \"crashapp.Missing\" } ] }\n}\n");
    DevServerProcess.Finished run = DevServerProcess.runToExit(Duration.ofSeconds(60), "dev",
        "--config", config.toString(), "--classpath", CrashProject.classes().toString(),
        "--state", dir.resolve("state").toString(), "--port", "0", "--no-reload");
    assertThat(run.status()).as("exit status; output:\n%s", run.output()).isEqualTo(1);
    assertThat(run.output().strip()).startsWith("durable dev: " + config + ":4:")
        .contains("durable_objects.bindings[0].class_name").contains("crashapp.Missing")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void aPortInUseIsOneLineOfOursWithNoErrorOfTheServerLibraryBeforeIt() throws Exception {
    Path config = CrashProject.writeTo(dir.resolve("project"));
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      DevServerProcess.Finished run = DevServerProcess.runToExit(Duration.ofSeconds(60), "dev",
          "--config", config.toString(), "--classpath", CrashProject.classes().toString(),
          "--in-memory", "--port", Integer.toString(taken.getLocalPort()), "--no-reload");
      assertThat(run.status()).as("exit status; output:\n%s", run.output()).isEqualTo(1);
      assertThat(run.output().strip()).as(run.output())
          .startsWith("durable dev: cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("is another emulator running? Use --port to pick another.")
          .doesNotContain("ERROR").doesNotContain("Javalin");
    }
  }
}
