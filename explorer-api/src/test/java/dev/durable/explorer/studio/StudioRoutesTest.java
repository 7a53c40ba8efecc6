package dev.durable.explorer.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.server.ServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the dev server serves the data studio's files (the page itself is tested in Chromium). */
class StudioRoutesTest {
  @TempDir
  static Path state;
  private static StudioServer s;

  @BeforeAll
  static void start() {
    s = new StudioServer(state);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void thePageIsServedAtTheExplorerPathWithAPolicyThatAllowsOnlyItsOwnFilesAndNoFraming() {
    for (String path : List.of("/cdn-cgi/explorer", "/cdn-cgi/explorer/")) {
      HttpResponse<String> page = s.get(path);
      assertThat(page.statusCode()).as("status of %s", path).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(page.body()).contains("<title>Data studio · durable</title>")
          .contains("src=\"/cdn-cgi/explorer/studio/app.js\"");
      String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void everyFileThePageAndItsModulesNameIsServedWithItsType() {
    String page = s.get("/cdn-cgi/explorer").body();
    List<String> files = new java.util.ArrayList<>(filesNamedIn(page));
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      HttpResponse<String> r = s.get("/cdn-cgi/explorer/studio/" + file);
      assertThat(r.statusCode()).as("status of %s", file).isEqualTo(200);
      String type = r.headers().firstValue("Content-Type").orElse("");
      assertThat(type).as("type of %s", file).startsWith(switch (file.substring(file.lastIndexOf('.') + 1)) {
        case "js" -> "text/javascript";
        case "css" -> "text/css";
        case "svg" -> "image/svg+xml";
        default -> "text/html";
      });
      if (file.endsWith(".js")) {
        for (String imported : filesNamedIn(r.body())) {
          if (!files.contains(imported)) {
            files.add(imported);
          }
        }
      }
    }
    assertThat(files).as("the modules the page loads").contains("app.js", "api.js", "tables.js", "kv.js", "sql.js",
        "alarm.js", "studio.css", "icon.svg");
  }

  @Test
  void anUnchangedFileAnswers304ToItsETagAndIsRevalidatedEachTime() {
    HttpResponse<String> first = s.get("/cdn-cgi/explorer/studio/app.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
    HttpResponse<String> again = s.send(HttpRequest.newBuilder(URI.create(s.url("/cdn-cgi/explorer/studio/app.js")))
        .header("If-None-Match", etag).GET());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void aNameThatIsNotAStudioFileAnswers404AndNothingOutsideTheFolderIsReachable() {
    for (String path : List.of("/cdn-cgi/explorer/studio/nothing.js", "/cdn-cgi/explorer/studio/StudioExtension.class",
        "/cdn-cgi/explorer/studio/..%2Fopenapi-components.json", "/cdn-cgi/explorer/studio/%2E%2E%2Fstudio.css",
        "/cdn-cgi/explorer/studio/.hidden.js")) {
      HttpResponse<String> r = s.get(path);
      assertThat(r.statusCode()).as("status of %s: %s", path, r.body()).isIn(400, 404);
    }
    HttpResponse<String> missing = s.get("/cdn-cgi/explorer/studio/nothing.js");
    assertThat(missing.body()).contains("is not a file of the data studio").contains("/cdn-cgi/explorer");
  }

  @Test
  void theExplorerApiStillAnswersBesideThePage() {
    assertThat(s.result("/cdn-cgi/explorer/api/workers/durable_objects/namespaces").findValuesAsText("id"))
        .containsExactlyInAnyOrder("app-Garden", "app-Shed");
  }

  @Test
  void theStartUpBannerNamesTheStudioUrl() {
    ServerExtension studio = s.server.extensions().stream().filter(StudioExtension.class::isInstance)
        .findFirst().orElseThrow(() -> new AssertionError("The dev server did not mount the studio: "
            + s.server.extensions()));
    assertThat(studio.bannerLines("http://127.0.0.1:8787"))
        .containsExactly("Data studio:  http://127.0.0.1:8787/cdn-cgi/explorer");
  }

  /** Files a page or module refers to by name: src/href attributes, imports, url(). */
  private static List<String> filesNamedIn(String text) {
    Matcher m = Pattern.compile("(?:studio/|\\./|url\\(\")([a-z0-9-]+\\.(?:js|css|svg))").matcher(text);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
