package dev.durable.explorer.studio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium, driven through its own chromedriver (Debian's packages
 * {@code chromium} and {@code chromium-driver}); nothing is downloaded. Other locations can be
 * given with {@code -Dstudio.chromium=...} and {@code -Dstudio.chromedriver=...}.
 */
final class StudioBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("studio.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("studio.chromedriver", "/usr/bin/chromedriver"));
  /** Where the screenshots of each view go, as test artifacts. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Dimension DESKTOP = new Dimension(1280, 800);
  /** How long to wait for the page before failing (a bound, not a measurement). */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final Path profile;
  private final String baseUrl;

  private StudioBrowser(ChromeDriver driver, Path profile, String baseUrl) {
    this.driver = driver;
    this.profile = profile;
    this.baseUrl = baseUrl;
    this.wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class); // the page re-renders while a test looks
  }

  /** Starts Chromium for pages of the server at {@code baseUrl}; fails clearly when it is missing. */
  static StudioBrowser start(String baseUrl) throws IOException {
    requireInstalled();
    // Selenium reports, at WARNING, that it has no DevTools bindings for this Chromium: not used.
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    Path profile = Files.createTempDirectory("studio-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--lang=en-US", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogOutput(OutputStream.nullOutputStream())
        .build();
    try {
      return new StudioBrowser(new ChromeDriver(service, options), profile, baseUrl);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
  }

  /** Fails, saying how to install them, when Chromium or its driver is missing. */
  static void requireInstalled() {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException("The data studio's browser tests need headless Chromium and its"
            + " driver, and " + p + " is missing. Install them with: sudo apt-get install -y chromium"
            + " chromium-driver (CI's .ci/run does this), or point -Dstudio.chromium and"
            + " -Dstudio.chromedriver at another Chromium and its matching chromedriver.");
      }
    }
  }

  /** Lets the page save downloads into {@code dir}, without asking. */
  void downloadInto(Path dir) {
    driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
        "downloadPath", dir.toAbsolutePath().toString()));
  }

  /** Opens the studio of another server at a place. */
  void openAt(String otherBaseUrl, String hash) {
    driver.get("about:blank");
    driver.get(otherBaseUrl + "/cdn-cgi/explorer" + hash);
  }

  /** Opens the studio at a place, e.g. {@code #/ns/app-Garden}. */
  void open(String hash) {
    driver.get("about:blank"); // a fresh page each time, not just a new hash on the old one
    driver.get(baseUrl + "/cdn-cgi/explorer" + hash);
  }

  WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  WebElement visible(String css) {
    return visible(By.cssSelector(css));
  }

  void gone(String css) {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Waits until the element's text contains {@code text}, then returns the element. */
  WebElement showing(String css, String text) {
    wait.withMessage(() -> "waiting for '" + text + "' in " + css + "; the page shows: "
        + driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList())
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Saves what the window shows as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not save the screenshot " + name, e);
    }
  }

  void resize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Makes the page see {@code prefers-color-scheme: dark} (or light again). */
  void darkMode(boolean dark) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  /**
   * Errors the page logged since the last call: script errors, refused content, failed modules.
   * The console's note on an API answer of 4xx is not one: the studio shows those in the page.
   */
  List<String> pageErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !(m.contains("/cdn-cgi/explorer/api/")
            && m.contains("Failed to load resource: the server responded with a status of 4")))
        .toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover profile in the build's temporary folder harms nothing.
    }
  }
}
