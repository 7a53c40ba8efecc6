package dev.durable.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.storage.SpareFiles;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names and ids that look like paths, are empty, huge or hold NUL: ids come out as 64 hex
 * digits, files only ever appear as {@code <state>/do/<namespace>/<hex>.sqlite}, names survive
 * eviction and an alarm after a restart, and malformed ids are refused with Cloudflare's words.
 */
class BadNamesTest {
  static final List<String> NAMES = List.of("", "x".repeat(10 * 1024), "../../../../tmp/escape", "..", ".",
      "a/b", "a\\b", "/", "\0", "a\0b", "C:\\Windows\\evil", "con", "nul.sqlite", "name with spaces",
      "\u00e9\u00e8\u4e2d\ud83d\ude00", "line\nbreak", "%2e%2e%2f", "metadata", "metadata.sqlite");

  @TempDir
  Path dir;
  private Path state;
  private DurableRuntime runtime;

  /** Records its name in storage; its alarm records the name it wakes up with. */
  public static class Named extends DurableObject {
    static final List<String> alarmNames = new CopyOnWriteArrayList<>();

    public Named(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      String name = ctx.id().name().orElse("<none>");
      ctx.storage().put("name", name);
      if (request.query("alarm") != null) {
        ctx.storage().setAlarm(ctx.now().plusMillis(1));
      }
      return Response.text(ctx.id() + " " + name.length() + " " + name.hashCode());
    }

    @Override
    public void alarm(AlarmInfo info) {
      String name = ctx.id().name().orElse("<none>");
      alarmNames.add(ctx.id() + " " + name + " stored=" + ctx.storage().get("name", String.class).orElse("?"));
    }
  }

  /** {@code /named/<anything>}: the rest of the path (decoded) is the object's name. */
  public static class App implements Worker {
    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      String path = request.path();
      if (!path.startsWith("/named/")) {
        return Response.status(404, "no route");
      }
      DurableObjectNamespace ns = env.durableObject("NAMED");
      return ns.get(ns.idFromName(path.substring("/named/".length()))).fetch(request);
    }
  }

  @BeforeEach
  void start() {
    Named.alarmNames.clear();
    state = dir.resolve("state");
    runtime = build();
  }

  private DurableRuntime build() {
    return DurableRuntime.builder().worker(new App()).bind("NAMED", Named.class)
        .idleTimeout(Duration.ZERO).stateDirectory(state).build();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void anyNameMakesAHexIdAndOneFileInsideTheNamespaceDirectory() throws Exception {
    DurableObjectNamespace ns = runtime.env().durableObject("NAMED");
    List<String> expected = new ArrayList<>();
    for (String name : NAMES) {
      DurableObjectId id = ns.idFromName(name);
      assertThat(id.toString()).as("id of %s", printable(name)).matches("[0-9a-f]{64}");
      assertThat(id.name()).contains(name);
      String answer = ns.get(id).fetch(Request.post("http://do/?alarm=1", "")).text();
      assertThat(answer).isEqualTo(id + " " + name.length() + " " + name.hashCode());
      expected.add(id.toString());
    }
    assertThat(NAMES.stream().map(n -> ns.idFromName(n).toString()).distinct()).hasSize(NAMES.size());
    assertOnlyObjectFiles(expected);

    // The alarms fire after a restart: each object wakes up under its own id and exact name.
    awaitAlarms(NAMES.size());
    Named.alarmNames.clear();
    for (String name : NAMES) {
      ns.get(ns.idFromName(name)).fetch(Request.post("http://do/?alarm=1", ""));
    }
    runtime.close();
    runtime = build();
    awaitAlarms(NAMES.size());
    List<String> expectedWakeUps = NAMES.stream()
        .map(n -> runtime.env().durableObject("NAMED").idFromName(n) + " " + n + " stored=" + n).toList();
    assertThat(Named.alarmNames).as("alarm wake-ups after a restart: id, name, stored name")
        .containsExactlyInAnyOrderElementsOf(expectedWakeUps);
    assertOnlyObjectFiles(expected);
  }

  @Test
  void malformedIdsAreRefusedWithCloudflaresMessages() {
    DurableObjectNamespace ns = runtime.env().durableObject("NAMED");
    String valid = ns.idFromName("a").toString();
    for (String bad : List.of("", "..", "../" + valid.substring(3), valid.substring(1), valid + "0",
        valid.toUpperCase(), valid.substring(0, 63) + "\0", valid.substring(0, 62) + "/.",
        "z".repeat(64), "x".repeat(10 * 1024))) {
      assertThatThrownBy(() -> ns.idFromString(bad)).as("idFromString(%s)", printable(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid Durable Object ID: must be 64 hex digits");
    }
    String tampered = valid.substring(0, 63) + (valid.endsWith("0") ? "1" : "0");
    assertThatThrownBy(() -> ns.idFromString(tampered)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Durable Object ID is not valid for this namespace.");
    assertThatThrownBy(() -> ns.idFromName(null)).hasMessageContaining("must not be null");
    assertThat(ns.idFromString(valid)).isEqualTo(ns.idFromName("a"));
    assertThat(state.resolve("do")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(StateFilesInTest.objectFiles(p)).isEmpty());
  }

  @Test
  void namesThatLookLikePathsReachTheRightObjectOverHttpAndTheServerKeepsServing() throws Exception {
    List<String> rawPaths = List.of("/named/..%2F..%2F..%2Ftmp%2Fescape", "/named/%2e%2e", "/named/a%00b",
        "/named/" + "y".repeat(10 * 1024), "/named/a%5Cb", "/named/", "/named/%2F", "/named/..;/x",
        "/named/%C3%A9%E4%B8%AD", "/named/%ZZ", "/named/a%2", "/named/%00", "/named/../../etc/passwd",
        "/named/" + "%2e%2e%2f".repeat(200) + "x");
    try (DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0))) {
      for (String path : rawPaths) {
        String response = rawGet(server.port(), path);
        String status = response.isEmpty() ? "(connection closed)" : response.substring(0, response.indexOf("\r\n"));
        assertThat(status).as("GET %s", path.length() > 80 ? path.substring(0, 80) + "..." : path)
            .matches("HTTP/1\\.1 (200|400|404|414|431) .*");
        assertThat(rawGet(server.port(), "/named/still-serving")).as("the server after GET %s", path)
            .startsWith("HTTP/1.1 200");
      }
    }
    assertOnlyObjectFiles(null);
  }

  /** Sends a request with the path exactly as given (no client-side normalization). */
  private static String rawGet(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private void awaitAlarms(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (Named.alarmNames.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Only " + Named.alarmNames.size() + " of " + count + " alarms fired within 30 s: "
            + Named.alarmNames);
      }
      Thread.sleep(10);
    }
  }

  /**
   * Every file under the test's directory is an object file, its WAL or shared memory, or the
   * namespace's metadata, inside {@code state/do/app-Named}, or a spare WAL or shared memory in
   * its {@code .spare} directory; when {@code ids} is given, exactly those objects have files.
   */
  private void assertOnlyObjectFiles(List<String> ids) throws IOException {
    Path nsDir = state.resolve("do").resolve("app-Named");
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    Path spareDir = nsDir.resolve(SpareFiles.DIRECTORY_NAME);
    assertThat(files).as("files written under the test directory").allSatisfy(f -> {
      if (f.getParent().equals(spareDir)) {
        assertThat(f.getFileName().toString()).matches("[0-9a-f-]{36}-[0-9]+-wal");
      } else {
        assertThat(f.getParent()).isEqualTo(nsDir);
        assertThat(f.getFileName().toString()).matches("([0-9a-f]{64}|metadata)\\.sqlite(-wal|-shm)?");
      }
    });
    if (ids != null) {
      assertThat(StateFilesInTest.objectFiles(nsDir)).containsExactlyInAnyOrderElementsOf(
          ids.stream().map(id -> id + ".sqlite").collect(java.util.stream.Collectors.toSet()));
    }
  }

  private static String printable(String s) {
    String shown = s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s;
    return "'" + shown.replace("\0", "\\0").replace("\n", "\\n") + "'";
  }

  /** File names in a directory, for comparisons. */
  static final class StateFilesInTest {
    private StateFilesInTest() {}

    static Set<String> objectFiles(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        return Set.of();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}\\.sqlite"))
            .collect(java.util.stream.Collectors.toSet());
      }
    }
  }
}
