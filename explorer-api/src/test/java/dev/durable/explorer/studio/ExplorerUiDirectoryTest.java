package dev.durable.explorer.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --explorer-ui DIR}: another explorer UI served from a directory, as Miniflare serves its own. */
class ExplorerUiDirectoryTest {
  @TempDir
  Path state;
  @TempDir
  Path ui;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void filesAreServedWithTheirTypesUnknownPathsGetIndexAndTheApiStillAnswers() throws Exception {
    Files.writeString(ui.resolve("index.html"), "<!doctype html><title>other UI</title>");
    Files.createDirectories(ui.resolve("assets"));
    Files.writeString(ui.resolve("assets/app-1.js"), "console.log(1)");
    Files.writeString(state.resolveSibling(state.getFileName() + "-secret.txt"), "outside");
    try (DurableRuntime runtime = DurableRuntime.builder().inMemory().bind("GARDEN", StudioObjects.Garden.class).build();
        DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0).explorerUi(ui))) {
      for (String path : new String[] {"/cdn-cgi/explorer", "/cdn-cgi/explorer/", "/cdn-cgi/explorer/do/Garden"}) {
        HttpResponse<String> page = get(server, path);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).as(path).startsWith("text/html");
        assertThat(page.body()).as(path).contains("other UI");
      }
      HttpResponse<String> js = get(server, "/cdn-cgi/explorer/assets/app-1.js");
      assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
      assertThat(js.body()).isEqualTo("console.log(1)");
      assertThat(get(server, "/cdn-cgi/explorer/api/local/workers").body()).contains("\"className\":\"Garden\"");
      // a path climbing out of the directory gets the index, never the file
      String raw = rawGet(server, "/cdn-cgi/explorer/../" + state.getFileName() + "-secret.txt");
      assertThat(raw).doesNotContain("outside");
      assertThat(rawGet(server, "/cdn-cgi/explorer/assets/..%2F..%2F" + state.getFileName() + "-secret.txt"))
          .doesNotContain("outside");
    }
  }

  private HttpResponse<String> get(DevServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request with the path exactly as written (an HTTP client would normalize the dots). */
  private static String rawGet(DevServer server, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
