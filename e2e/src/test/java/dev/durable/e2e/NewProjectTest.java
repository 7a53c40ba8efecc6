package dev.durable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a new user does, with real commands: {@code durable init} a project outside the checkout,
 * then {@code mvn test} (with two JUnit versions), {@code mvn durable:dev} and {@code durable dev}
 * in it. Maven runs with a user home made for the test, so durable's artifacts are installed by
 * init into an empty local repository: the project can only build against this checkout's
 * durable, never one an earlier run left behind. Other libraries come from the build's own
 * local repository, read as a remote one (snapshots excluded), or from Maven Central.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewProjectTest {
  private static final Path CHECKOUT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  private static final String VERSION = System.getProperty("durable.version");
  private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(4);

  private static Path home;
  private static Path project;
  private static String initOutput;

  @BeforeAll
  static void initANewProject() throws IOException {
    home = Files.createTempDirectory("durable-e2e-");
    Path libraries = Path.of(System.getProperty("durable.e2e.libraries"));
    Files.createDirectories(home.resolve(".m2"));
    Files.writeString(home.resolve(".m2/settings.xml"), settings(libraries.toUri().toString()));
    project = home.resolve("my-app");
    // As on a fresh clone: the launcher builds this checkout, here against the test's repository.
    Files.deleteIfExists(CHECKOUT.resolve("target/durable.classpath"));

    Run init = run(CHECKOUT, List.of(CHECKOUT.resolve("durable").toString(), "init", project.toString()));

    assertThat(init.status()).as(init.output()).isZero();
    initOutput = init.output();
  }

  @AfterAll
  static void deleteTheProjectAndItsRepository() throws IOException, InterruptedException {
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      // The launcher built this checkout against the repository just deleted; run as the user
      // runs it next, it must build again instead of starting on jars that are gone.
      Process p = new ProcessBuilder(CHECKOUT.resolve("durable").toString(), "--version")
          .directory(CHECKOUT.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(MAVEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(out).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("durable " + VERSION);
      String classpath = Files.readString(CHECKOUT.resolve("target/durable.classpath")).strip();
      assertThat(Arrays.stream(classpath.split(":")).map(Path::of).filter(Files::notExists))
          .as("entries of the launcher's class path that are gone, after it ran again").isEmpty();
    }
  }

  @Test
  @Order(1)
  void initInstallsThisCheckoutsArtifactsIntoTheEmptyRepositoryAndSaysWhatToRunNext() throws IOException {
    Path installed = home.resolve(".m2/repository/dev/durable/durable-emulator/" + VERSION
        + "/durable-emulator-" + VERSION + ".jar");
    assertThat(installed).exists();
    assertThat(initOutput).contains("Installing durable " + VERSION + " into " + home.resolve(".m2/repository"),
        "Wrote my-app (package com.example.myapp)", "mvn test", "mvn durable:dev");

    Run again = run(CHECKOUT, List.of(CHECKOUT.resolve("durable").toString(), "init", home.resolve("second").toString()));
    assertThat(again.status()).as(again.output()).isZero();
    assertThat(again.output()).as("a second init, nothing changed since").contains("is installed in")
        .doesNotContain("Installing durable");

    Run occupied = run(CHECKOUT, List.of(CHECKOUT.resolve("durable").toString(), "init", project.toString()));
    assertThat(occupied.status()).isEqualTo(2);
    assertThat(occupied.output()).contains(project + " is not empty");
  }

  @Test
  @Order(2)
  void mvnTestPassesWithTheJUnitOfTheGeneratedPom() {
    assertTestsPass(run(project, List.of("mvn", "-B", "-ntp", "test")));
  }

  @Test
  @Order(3)
  void mvnTestPassesWithJUnit510() {
    assertTestsPass(run(project, List.of("mvn", "-B", "-ntp", "test", "-Djunit.version=5.10.3")));
  }

  @Test
  @Order(4)
  void mvnDurableDevAndDurableDevServeTheCounterAndKeepItAcrossARestart() throws Exception {
    int port = freePort();
    try (Server dev = Server.start(project, List.of("mvn", "-B", "-ntp", "durable:dev", "-Ddurable.port=" + port))) {
      assertThat(dev.post(port, "/counter/a")).isEqualTo("1");

      // Live reload: a change to a source is compiled and served without a restart.
      Path app = project.resolve("src/main/java/com/example/myapp/App.java");
      Files.writeString(app, Files.readString(app).replace("a worker with one", "a changed worker with one"));
      dev.awaitBody(port, "/", "a changed worker");
    }

    int second = freePort();
    try (Server dev = Server.start(project, List.of(CHECKOUT.resolve("durable").toString(), "dev", "--port",
        Integer.toString(second)))) {
      assertThat(dev.post(second, "/counter/a")).as("the count kept in .durable/state").isEqualTo("2");
    }
  }

  private static void assertTestsPass(Run mvn) {
    assertThat(mvn.status()).as(mvn.output()).isZero();
    assertThat(mvn.output()).as(mvn.output()).contains("Tests run: 5, Failures: 0, Errors: 0");
    assertThat(mvn.output()).as("no native-access warning in the project's test output")
        .doesNotContain("restricted method").doesNotContain("enable-native-access");
  }

  private static String settings(String libraries) {
    String repository = """
          <id>build-libraries</id><url>%s</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        """.formatted(libraries);
    return """
        <settings>
          <profiles><profile><id>build-libraries</id>
            <repositories><repository>%1$s</repository></repositories>
            <pluginRepositories><pluginRepository>%1$s</pluginRepository></pluginRepositories>
          </profile></profiles>
          <activeProfiles><activeProfile>build-libraries</activeProfile></activeProfiles>
        </settings>
        """.formatted(repository);
  }

  /** Maven and the launcher as the user runs them, with the test's home for Maven. */
  private static ProcessBuilder command(Path dir, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    String javaHome = System.getProperty("java.home");
    env.put("JAVA_HOME", javaHome);
    env.put("PATH", javaHome + "/bin:" + env.getOrDefault("PATH", ""));
    String opts = "-Duser.home=" + home;
    if (Runtime.version().feature() >= 24) {
      opts += " --sun-misc-unsafe-memory-access=allow"; // Maven 3's own use of Unsafe
    }
    env.put("MAVEN_OPTS", opts);
    env.remove("MAVEN_ARGS");
    return pb;
  }

  record Run(int status, String output) {}

  private static Run run(Path dir, List<String> command) {
    try {
      Process p = command(dir, command).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(MAVEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within " + MAVEN_TIMEOUT);
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A dev server in its own process, stopped as Ctrl-C would, its output kept for failures. */
  private static final class Server implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Server(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(() -> {
        try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
          lines.lines().forEach(l -> {
            synchronized (output) {
              output.add(l);
            }
          });
        } catch (IOException | UncheckedIOException e) {
          // the process ended
        }
      });
    }

    static Server start(Path dir, List<String> command) throws IOException {
      return new Server(command(dir, command).start());
    }

    String output() {
      synchronized (output) {
        return String.join("\n", output);
      }
    }

    /** POSTs once the server answers; the build before it may take a minute. */
    String post(int port, String path) throws InterruptedException {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
      long deadline = System.nanoTime() + MAVEN_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(output()).isEqualTo(200);
          return r.body();
        } catch (IOException notYet) {
          Thread.sleep(250);
        }
      }
      throw new AssertionError("Nothing answered on port " + port + "; the server said:\n" + output());
    }

    void awaitBody(int port, String path, String expected) throws InterruptedException {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        try {
          last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
          if (last.contains(expected)) {
            return;
          }
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(250);
      }
      throw new AssertionError("GET " + path + " never answered '" + expected + "'; last: " + last
          + "\nThe server said:\n" + output());
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy(); // SIGTERM: requests finish and state is committed, as on Ctrl-C
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("The server did not stop within 30 s:\n" + output());
      }
    }
  }
}
