package dev.durable.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two pages of the system's headless Chromium chat through the ChatRoom sample with the
 * browser's own WebSocket (which offers permessage-deflate), on a dev server of the samples.
 */
class ChatRoomBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("studio.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("studio.chromedriver", "/usr/bin/chromedriver"));
  /** A bound on waiting for the pages, not a measurement. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  /** Joins the room from the page and keeps every frame the room sends in window.frames. */
  private static final String JOIN = """
      const [url, done] = [arguments[0], arguments[arguments.length - 1]];
      window.received = [];
      window.chat = new WebSocket(url);
      window.chat.onmessage = e => window.received.push(JSON.parse(e.data));
      window.chat.onopen = () => done(window.chat.extensions);
      window.chat.onerror = () => done('error');
      """;

  @TempDir
  Path state;
  @TempDir
  Path profile;

  @Test
  void twoPagesChatThroughTheRoom() throws Exception {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException("This test needs headless Chromium and its driver, and " + p
            + " is missing: apt-get install -y chromium chromium-driver (.ci/run does this)");
      }
    }
    try (Emulator emulator = Emulator.start(EmulatorOptions.forProject(Path.of("durable.jsonc"),
            List.of(Path.of("target/classes")))
        .withServer(DevServer.Options.defaults().port(0)).withStateDirectory(state).withLiveReload(false))) {
      String http = emulator.url().replaceFirst("/$", "");
      String ws = http.replaceFirst("^http", "ws");
      ChromeDriver driver = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50));
        driver.manage().timeouts().scriptTimeout(PATIENCE);
        driver.get(http + "/chat/lobby/history"); // a page of the server's origin
        String ada = driver.getWindowHandle();
        assertThat(driver.executeAsyncScript(JOIN, ws + "/chat/lobby?user=ada"))
            .as("the browser negotiated compression").isEqualTo("permessage-deflate");
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(http + "/chat/lobby/history");
        String bob = driver.getWindowHandle();
        assertThat(driver.executeAsyncScript(JOIN, ws + "/chat/lobby?user=bob")).isEqualTo("permessage-deflate");

        driver.switchTo().window(ada);
        wait.withMessage("ada sees bob join").until(d -> texts(driver, "joined").contains("bob"));
        driver.executeScript("window.chat.send('hello bob')");
        driver.switchTo().window(bob);
        wait.withMessage(() -> "bob receives ada's message; bob has " + driver.executeScript("return JSON.stringify(window.received)"))
            .until(d -> texts(driver, "message").contains("ada: hello bob"));
        String longLine = "x".repeat(3000); // above the compression threshold: sent compressed
        driver.executeScript("window.chat.send('hi ada ' + arguments[0])", longLine);
        driver.switchTo().window(ada);
        wait.withMessage(() -> "ada receives bob's answer; ada has " + driver.executeScript("return JSON.stringify(window.received)"))
            .until(d -> texts(driver, "message").contains("bob: hi ada " + longLine));
        assertThat(texts(driver, "message")).containsExactly("ada: hello bob", "bob: hi ada " + longLine);
      } finally {
        driver.quit();
      }
    }
  }

  /** The frames of one type the page received, as "user: text" (or the user, for joins). */
  @SuppressWarnings("unchecked")
  private static List<String> texts(ChromeDriver driver, String type) {
    return (List<String>) driver.executeScript("""
        return window.received.filter(f => f.type === arguments[0])
            .map(f => f.type === 'message' ? f.user + ': ' + f.text : f.user);""", type);
  }

  private ChromeDriver chromium() throws IOException {
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogOutput(OutputStream.nullOutputStream()).build();
    return new ChromeDriver(service, options);
  }
}
