package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles a small project in the test, changes it while the emulator runs, and watches. */
class LiveReloadTest {
  private static final String CONFIG = """
      {
        "name": "demo",
        "main": "demo.App",
        "durable_objects": { "bindings": [ { "name": "GREETER", "class_name": "demo.Greeter" } ] },
      }
      """;

  private static final String APP = """
      package demo;
      import dev.durable.*;
      public class App implements Worker {
        public Response fetch(Request r, Env env, ExecutionContext ctx) {
          return env.durableObject("GREETER").getByName("a").fetch(r);
        }
      }
      """;

  /** A greeter that counts visits and answers WebSocket messages; VERSION is swapped. */
  private static final String GREETER = """
      package demo;
      import dev.durable.*;
      public class Greeter extends DurableObject {
        public Greeter(DurableObjectState ctx, Env env) { super(ctx, env); }
        public Response fetch(Request r) {
          if (r.isWebSocketUpgrade()) {
            WebSocketPair pair = new WebSocketPair();
            ctx.acceptWebSocket(pair.server());
            return Response.webSocket(pair.client());
          }
          long n = ctx.storage().get("n", Long.class).orElse(0L) + 1;
          ctx.storage().put("n", n);
          return Response.text("VERSION " + n);
        }
        public void webSocketMessage(WebSocket ws, String message) { ws.send("VERSION " + message); }
      }
      """;

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path project;

  @Test
  void aRecompiledClassServesTheNextRequestWithStateAndSocketsIntact() throws Exception {
    Path classes = project.resolve("classes");
    Files.writeString(project.resolve("durable.jsonc"), CONFIG);
    compile(classes, GREETER.replace("VERSION", "v1"));
    EmulatorOptions options = EmulatorOptions.forProject(project.resolve("durable.jsonc"), List.of(classes))
        .withServer(DevServer.Options.defaults().port(0));
    try (Emulator emulator = Emulator.start(options)) {
      assertThat(get(emulator, "/")).isEqualTo("v1 1");
      WebSocketTest.Client socket = new WebSocketTest.Client(null);
      socket.ws = http.newWebSocketBuilder()
          .buildAsync(URI.create(emulator.url().replace("http", "ws") + "/ws"), socket).join();
      socket.send("hello");
      assertThat(socket.next()).isEqualTo("v1 hello");

      compile(classes, GREETER.replace("VERSION", "v2"));
      // A slow compile may be picked up in two steps; the count goes on either way.
      String[] answer = new String[1];
      awaitTrue(() -> (answer[0] = get(emulator, "/")).startsWith("v2"), "the new class to answer");
      long count = Long.parseLong(answer[0].substring(3));
      assertThat(count).as("the count, kept in storage across the reload").isGreaterThanOrEqualTo(2);
      socket.send("again");
      assertThat(socket.next()).isEqualTo("v2 again");

      // A class that no longer fits (no (ctx, env) constructor) is refused; v2 keeps serving.
      compile(classes, GREETER.replace("VERSION", "v3")
          .replace("public Greeter(DurableObjectState ctx, Env env) { super(ctx, env); }",
              "public Greeter(DurableObjectState ctx) { super(ctx, null); }"));
      awaitTrue(() -> emulator.lastReloadError() != null, "the emulator to refuse the broken class");
      assertThat(emulator.lastReloadError()).contains("demo.Greeter").contains("constructor");
      assertThat(get(emulator, "/")).isEqualTo("v2 " + (count + 1));
    }
  }

  @Test
  void cleanedClassesAreWaitedForAndTheNextCompileIsServed() throws Exception {
    Path classes = project.resolve("target/classes");
    Files.writeString(project.resolve("durable.jsonc"), CONFIG);
    compile(classes, GREETER.replace("VERSION", "v1"));
    EmulatorOptions options = EmulatorOptions.forProject(project.resolve("durable.jsonc"), List.of(classes))
        .withServer(DevServer.Options.defaults().port(0));
    try (Emulator emulator = Emulator.start(options)) {
      assertThat(get(emulator, "/")).isEqualTo("v1 1");

      deleteTree(classes); // mvn clean
      awaitTrue(() -> classes.equals(emulator.waitingForClasses()), "the emulator to wait for classes");
      assertThat(get(emulator, "/")).as("the previous code keeps serving").isEqualTo("v1 2");

      compile(classes, GREETER.replace("VERSION", "v2")); // mvn compile, into a new directory
      awaitTrue(() -> get(emulator, "/").startsWith("v2"), "the new classes to answer");
      assertThat(emulator.waitingForClasses()).isNull();
      assertThat(emulator.lastReloadError()).isNull();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private String get(Emulator emulator, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void compile(Path classes, String greeter) throws IOException {
    Path src = Files.createTempDirectory("durable-src");
    Files.createDirectories(src.resolve("demo"));
    Files.writeString(src.resolve("demo/App.java"), APP);
    Files.writeString(src.resolve("demo/Greeter.java"), greeter);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"),
        src.resolve("demo/App.java").toString(), src.resolve("demo/Greeter.java").toString());
    assertThat(status).as("javac exit status").isZero();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
