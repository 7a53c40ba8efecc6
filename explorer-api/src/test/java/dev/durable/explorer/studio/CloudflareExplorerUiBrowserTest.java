package dev.durable.explorer.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Cloudflare's own Local Explorer UI, from the npm package {@code miniflare}, served on our
 * origin with {@code --explorer-ui} and working against our explorer API in headless Chromium.
 */
class CloudflareExplorerUiBrowserTest {
  @TempDir
  static Path state;
  private static DurableRuntime runtime;
  private static DevServer server;
  private static StudioBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    StudioBrowser.requireInstalled();
    Path ui = MiniflareExplorerUi.directory();
    runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).stateDirectory(state)
        .bind("GARDEN", StudioObjects.Garden.class).bind("SHED", StudioObjects.Shed.class).build();
    server = DevServer.start(runtime, DevServer.Options.defaults().port(0).explorerUi(ui));
    HttpResponse<String> seeded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
            + StudioServer.NAMESPACES + "/app-Garden/query"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"durable_object_name\":\"rose\",\"queries\":["
            + "{\"sql\":\"CREATE TABLE plants (id INTEGER PRIMARY KEY, name TEXT)\"},"
            + "{\"sql\":\"INSERT INTO plants (name) VALUES ('lavender'), ('thyme')\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(200);
    browser = StudioBrowser.start(server.url());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  private static void open(String path) {
    browser.driver.get("about:blank");
    browser.driver.get(server.url() + "/cdn-cgi/explorer" + path);
  }

  /** Waits until the page's text contains {@code text}, failing with what it shows instead. */
  private static void shows(String text, String screenshot) {
    try {
      browser.wait.withMessage(() -> "waiting for '" + text + "'; the page shows:\n"
              + browser.driver.findElement(By.tagName("body")).getText())
          .until(d -> d.findElement(By.tagName("body")).getText().contains(text));
    } finally {
      browser.screenshot("cloudflare-ui-" + screenshot);
    }
  }

  @Test
  void theSidebarListsTheBoundClasses() {
    open("/");
    shows("Garden", "home");
    shows("Shed", "home");
    assertThat(browser.driver.findElement(By.tagName("body")).getText()).doesNotContain("Something went wrong");
  }

  @Test
  void aClassPageListsItsObjects() {
    open("/do/Garden");
    shows("rose", "objects");
  }

  @Test
  void aTablesRowsAreShown() {
    open("/do/Garden/rose?table=plants");
    shows("lavender", "rows");
    shows("thyme", "rows");
  }

  @Test
  void theObservabilityPageSaysCaptureIsOff() {
    open("/observability");
    shows("Observability capture is off", "observability");
    assertThat(browser.driver.findElement(By.tagName("body")).getText()).doesNotContain("Failed to load traces");
  }
}
