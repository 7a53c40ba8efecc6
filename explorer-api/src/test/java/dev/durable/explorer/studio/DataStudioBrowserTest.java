package dev.durable.explorer.studio;

import static dev.durable.explorer.studio.StudioServer.garden;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The data studio end to end: a person's steps in headless Chromium against a dev server, each
 * checked through the explorer API. One browser and one server serve the whole class; each test
 * works on objects of its own. Screenshots of the main views land in {@code target/screenshots}.
 */
class DataStudioBrowserTest {
  @TempDir
  static Path state;
  private static StudioServer server;
  private static StudioBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    StudioBrowser.requireInstalled();
    server = new StudioServer(state);
    for (String name : List.of("rose", "edit-me", "rows-come-and-go", "sorted")) {
      seedGarden(name);
    }
    for (String name : List.of("tulip", "ivy")) {
      server.sql(name, "CREATE TABLE t (a)");
    }
    server.write("POST", garden("lily") + "/rpc", "{\"method\":\"plant\",\"args\":[\"seed\"]}");
    for (int i = 0; i < 55; i++) {
      server.write("POST", StudioServer.NAMESPACES + "/app-Shed/query", "{\"durable_object_name\":\"shed-"
          + i + "\",\"queries\":[{\"sql\":\"CREATE TABLE tools (name TEXT)\"}]}");
    }
    browser = StudioBrowser.start(server.server.url());
  }

  /** Plants (40 rows), beds (a two-column key), a view, and three key-value entries. */
  private static void seedGarden(String name) {
    server.sql(name,
        "CREATE TABLE plants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, height REAL, seeds BLOB,"
            + " note TEXT DEFAULT 'none')",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
            + " INSERT INTO plants (id, name, height, seeds, note) SELECT i, printf('plant %02d', i), i * 2.5,"
            + " CASE WHEN i % 3 = 0 THEN randomblob(8) END, CASE WHEN i % 4 = 0 THEN NULL ELSE"
            + " 'a note about plant ' || i || ', long enough that the grid has to clip it somewhere' END FROM n",
        "CREATE TABLE beds (bed TEXT, row INTEGER, plant INTEGER, PRIMARY KEY (bed, row)) WITHOUT ROWID",
        "INSERT INTO beds VALUES ('north', 1, 1), ('north', 2, 5), ('south', 1, 9)",
        "CREATE INDEX plants_name ON plants (name)",
        "CREATE VIEW tall AS SELECT name, height FROM plants WHERE height > 90");
    server.write("PUT", garden(name) + "/kv/settings", "{\"value\":{\"theme\":\"moss\",\"beds\":[\"north\",\"south\"],\"watering\":{\"every\":2}}}");
    server.write("PUT", garden(name) + "/kv/greeting", "{\"value\":\"good morning\"}");
    server.write("PUT", garden(name) + "/kv/visits", "{\"value\":42}");
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @AfterEach
  void thePageLoggedNoErrors() {
    List<String> errors = browser.pageErrors();
    browser.resize(StudioBrowser.DESKTOP);
    browser.darkMode(false);
    assertThat(errors).as("errors the page logged (script errors, refused content)").isEmpty();
  }

  @Test
  void theObjectsOfANamespaceAreListedMarkedLiveAndFoundBySearch() {
    browser.open("#/");
    browser.showing("main table.list", "app-Shed");
    assertThat(texts("main table.list tbody tr")).containsExactly("app-Garden Garden app", "app-Shed Shed app");
    browser.screenshot("00-namespaces");
    browser.visible(By.linkText("app-Garden")).click();
    browser.showing(".objects-list", "tulip");
    assertThat(names()).contains("rose", "tulip", "ivy", "lily");
    WebElement lily = row("lily");
    assertThat(lily.findElement(By.cssSelector(".state")).getText()).as("the woken object's state").contains("live");
    assertThat(row("tulip").findElement(By.cssSelector(".state")).getText()).as("an object only read").doesNotContain("live");
    browser.screenshot("01-objects");

    browser.driver.findElement(By.tagName("body")).sendKeys("/");
    WebElement search = browser.driver.switchTo().activeElement();
    assertThat(search.getAttribute("aria-label")).as("'/' focuses the search").isEqualTo("Search objects by name or id");
    search.sendKeys("TUL");
    browser.wait.until(d -> names().equals(List.of("tulip")));
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/ns/app-Garden?search=TUL");

    search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "no-such-plant");
    browser.showing(".objects", "No object's name or id contains “no-such-plant”");
    browser.showing(".open-by-name", "Open the object named “no-such-plant”");
    browser.screenshot("02-objects-search-empty");

    search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "tulip", Keys.ENTER);
    browser.wait.until(d -> names().equals(List.of("tulip")));
    row("tulip").findElement(By.cssSelector("td.name a")).click();
    browser.showing(".object-title", "tulip");
    assertThat(browser.driver.findElement(By.cssSelector(".id-line")).getText())
        .contains(server.runtime.namespace("GARDEN").idFromName("tulip").toString());
  }

  @Test
  void aLongListOfObjectsIsPagedForwardAndBack() {
    int total = server.result(StudioServer.NAMESPACES + "/app-Shed/objects").size();
    browser.open("#/ns/app-Shed");
    new Select(browser.visible("select[aria-label='Objects per page']")).selectByValue("50");
    browser.showing(".pager", "Objects 1–50");
    assertThat(names()).hasSize(50);
    String first = names().get(0);
    browser.visible(By.xpath("//div[@class='pager']/button[contains(., 'Next')]")).click();
    browser.showing(".pager", "Objects 51–" + total);
    assertThat(names()).hasSize(total - 50).doesNotContain(first);
    assertThat(browser.visible(By.xpath("//div[@class='pager']/button[contains(., 'Next')]")).isEnabled()).isFalse();
    browser.visible(By.xpath("//div[@class='pager']/button[contains(., 'Previous')]")).click();
    browser.showing(".pager", "Objects 1–50");
    assertThat(names().get(0)).isEqualTo(first);
    new Select(browser.visible("select[aria-label='Objects per page']")).selectByValue("100");
  }

  @Test
  void anObjectShowsItsTablesWithRowsPagedAndSortedAndItsSchema() {
    browser.open("#/ns/app-Garden/o/name:sorted");
    browser.showing(".object-title", "sorted");
    browser.showing(".stats", "2 tables");
    browser.showing(".stats", "3 entries");
    assertThat(texts(".table-list a")).containsExactly("beds\n3", "plants\n40", "tall\nview\n4");
    browser.visible(".table-list a[href$='/tables/plants']").click();
    browser.showing(".page-info", "Rows 1–40 of 40");
    assertThat(cell(0, "name").getText()).isEqualTo("plant 01");
    assertThat(cell(3, "note").getText()).as("a NULL").isEqualTo("NULL");
    assertThat(cell(2, "seeds").getText()).as("a BLOB").isEqualTo("BLOB · 8 bytes");
    browser.screenshot("03-tables");

    header("height").click();
    header("height").click();
    browser.wait.until(d -> cell(0, "name").getText().equals("plant 40"));
    assertThat(header("height").findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("descending");

    new Select(browser.visible("select[aria-label='Rows per page']")).selectByValue("25");
    browser.showing(".page-info", "Rows 1–25 of 40");
    browser.visible(By.xpath("//div[@class='pager']/button[@aria-label='Next page']")).click();
    browser.showing(".page-info", "Rows 26–40 of 40");
    assertThat(cell(0, "name").getText()).isEqualTo("plant 15");

    new Select(browser.visible("select[aria-label='Filter column']")).selectByValue("name");
    new Select(browser.visible("select[aria-label='Filter operator']")).selectByValue("like");
    WebElement value = browser.visible("input[aria-label='Filter value']");
    value.sendKeys("plant 3%", Keys.ENTER);
    browser.showing(".page-info", "Rows 1–10 of 10 matching");
    new Select(browser.visible("select[aria-label='Rows per page']")).selectByValue("100");

    browser.visible("button.segment:nth-child(2)").click();
    browser.showing(".table-content", "Indexes");
    assertThat(browser.visible(".table-content").getText()).contains("plants_name on name")
        .contains("CREATE TABLE plants");
    browser.screenshot("04-schema");
  }

  @Test
  void editingACellSavesItThroughTheApiAndBadInputIsExplainedInTheEditor() {
    browser.open("#/ns/app-Garden/o/name:edit-me/tables/plants");
    new Actions(browser).doubleClick(cell(0, "name"));
    WebElement field = browser.visible(".cell-editor .field");
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Blue Rose");
    browser.screenshot("05-cell-editor");
    field.sendKeys(Keys.ENTER);
    browser.gone(".cell-editor");
    browser.wait.until(d -> cell(0, "name").getText().equals("Blue Rose"));
    assertThat(rowOf("edit-me", 1).get("name").asText()).as("the name through the API").isEqualTo("Blue Rose");

    // The grid is one Tab stop; arrow keys move between cells, Enter edits.
    assertThat(browser.all("table.grid td[tabindex='0']")).as("cells in the Tab order").hasSize(1);
    cell(0, "name").click();
    browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN, Keys.ARROW_RIGHT);
    assertThat(browser.driver.switchTo().activeElement().getAttribute("data-column")).isEqualTo("height");
    assertThat(browser.driver.switchTo().activeElement().getAttribute("data-row")).isEqualTo("1");
    // A number column refuses what is not a number, before anything is sent.
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    WebElement height = browser.visible(".cell-editor .field");
    assertThat(height.getAttribute("value")).isEqualTo("5.0");
    height.sendKeys(Keys.chord(Keys.CONTROL, "a"), "tall", Keys.ENTER);
    browser.showing(".cell-editor .error-box", "'tall' is not a number");
    height.sendKeys(Keys.chord(Keys.CONTROL, "a"), "7.25", Keys.ENTER);
    browser.gone(".cell-editor");
    assertThat(rowOf("edit-me", 2).get("height").asDouble()).isEqualTo(7.25);

    // What the database refuses comes back into the editor, which stays open.
    new Actions(browser).doubleClick(cell(2, "name"));
    new Select(browser.visible(".cell-editor select.kind")).selectByValue("null");
    browser.visible(".cell-editor .field").sendKeys(Keys.ENTER);
    browser.showing(".cell-editor .error-box", "NOT NULL constraint failed");
    browser.screenshot("06-cell-editor-error");
    browser.visible(".cell-editor .field").sendKeys(Keys.ESCAPE);
    browser.gone(".cell-editor");
    assertThat(rowOf("edit-me", 3).get("name").asText()).isEqualTo("plant 03");
  }

  @Test
  void aRowCanBeInsertedWithTypedValuesAndDeletedAfterAConfirmingClick() {
    browser.open("#/ns/app-Garden/o/name:rows-come-and-go/tables/plants");
    browser.showing(".page-info", "of 40");
    browser.visible(By.xpath("//button[contains(., 'Insert row')]")).click();
    browser.visible("dialog.insert-dialog");
    browser.visible("dialog.insert-dialog textarea[aria-label='name']").sendKeys("Fern");
    browser.visible("dialog.insert-dialog input[aria-label='height']").sendKeys("0.5");
    browser.screenshot("07-insert-row");
    browser.visible("dialog.insert-dialog button[type='submit']").click();
    browser.gone("dialog.insert-dialog");
    browser.showing(".page-info", "of 41");
    JsonNode fern = rowOf("rows-come-and-go", 41);
    assertThat(fern.get("name").asText()).isEqualTo("Fern");
    assertThat(fern.get("height").asDouble()).isEqualTo(0.5);
    assertThat(fern.get("note").asText()).as("the column default").isEqualTo("none");
    assertThat(fern.get("seeds").isNull()).isTrue();

    new Select(browser.visible("select[aria-label='Filter column']")).selectByValue("name");
    browser.visible("input[aria-label='Filter value']").sendKeys("Fern", Keys.ENTER);
    browser.showing(".page-info", "Rows 1–1 of 1 matching");
    WebElement delete = browser.visible("td.actions-col button");
    delete.click();
    assertThat(delete.getText()).isEqualTo("Confirm");
    assertThat(server.result(garden("rows-come-and-go") + "/tables/plants").get("rows").asInt())
        .as("one click deletes nothing").isEqualTo(41);
    delete.click();
    browser.showing(".rows-body", "No row matches the filter");
    assertThat(server.result(garden("rows-come-and-go") + "/tables/plants").get("rows").asInt()).isEqualTo(40);
  }

  @Test
  void theSqlConsoleRunsOnCtrlEnterAndShowsTheRowsInAGridAndTheHistory() {
    browser.open("#/ns/app-Garden/o/name:rose/sql");
    WebElement editor = browser.visible("textarea.sql-input");
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "SELECT name, height, seeds FROM plants WHERE height > ? ORDER BY height DESC LIMIT 5");
    browser.visible("input[aria-label='Parameters']").sendKeys("[85]");
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing(".sql-meta", "5 rows");
    assertThat(texts(".sql-output table.grid thead th")).containsExactly("name", "height", "seeds");
    assertThat(texts(".sql-output table.grid tbody tr td:first-child"))
        .containsExactly("plant 40", "plant 39", "plant 38", "plant 37", "plant 36");
    browser.showing(".history-list", "SELECT name, height, seeds FROM plants");
    browser.screenshot("08-sql");

    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "UPDATE plants SET note = 'pruned' WHERE id <= 3");
    browser.visible("input[aria-label='Parameters']").clear();
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing(".sql-meta", "3 rows written");
    assertThat(rowOf("rose", 2).get("note").asText()).isEqualTo("pruned");

    // Ctrl+Up brings back what ran, newest first.
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, Keys.chord(Keys.CONTROL, Keys.ARROW_UP));
    assertThat(editor.getAttribute("value")).isEqualTo("UPDATE plants SET note = 'pruned' WHERE id <= 3");
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ARROW_UP));
    assertThat(editor.getAttribute("value")).startsWith("SELECT name, height, seeds FROM plants");

    // With text selected, only the selection runs.
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "SELECT count(*) AS n FROM plants;\nDELETE FROM plants");
    browser.script("document.querySelector('textarea.sql-input').setSelectionRange(0, 33)");
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing(".sql-meta", "1 row ·");
    assertThat(texts(".sql-output table.grid tbody td")).containsExactly("40");

    browser.visible(By.xpath("//button[.='Explain']")).click();
    browser.showing(".plan", "Query plan");
    assertThat(browser.visible(".plan pre").getText()).contains("plants");
  }

  @Test
  void aSqlErrorIsShownInlineWithTheLineItPointsAt() {
    browser.open("#/ns/app-Garden/o/name:rose/sql");
    WebElement editor = browser.visible("textarea.sql-input");
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "SELECT name\nFROM plants\nORDER BYY id");
    browser.visible("button.primary").click();
    WebElement error = browser.showing(".sql-error", "syntax error");
    assertThat(error.getText()).contains("near \"BYY\"").contains("Line 3, column 7");
    assertThat(browser.script("const t = document.querySelector('textarea.sql-input');"
        + " return t.value.slice(t.selectionStart, t.selectionEnd);")).as("the selected error spot").isEqualTo("BYY");
    browser.screenshot("09-sql-error");

    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "SELECT * FROM weeds", Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing(".sql-error", "no such table: weeds");
  }

  @Test
  void aKeyValueEntryIsAddedWithItsJsonValueAndDeleted() {
    browser.open("#/ns/app-Garden/o/name:rose/kv");
    browser.showing(".kv-list", "good morning");
    assertThat(entryRow("settings").getText()).contains("{\"theme\":\"moss\",\"beds\":[\"north\",\"south\"]");
    browser.visible(By.xpath("//button[contains(., 'Add entry')]")).click();
    browser.visible("dialog.kv-dialog input[aria-label='Key']").sendKeys("favourite");
    WebElement value = browser.visible("dialog.kv-dialog textarea[aria-label='Value']");
    value.sendKeys("{\"colour\": \"red\", \"petals\": 5}");
    browser.screenshot("10-kv-add");
    value.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.gone("dialog.kv-dialog");
    assertThat(entryRow("favourite").getText()).contains("{\"colour\":\"red\",\"petals\":5}");
    JsonNode stored = server.result(garden("rose") + "/kv/favourite");
    assertThat(stored.get("value").toString()).isEqualTo("{\"colour\":\"red\",\"petals\":5}");
    browser.screenshot("11-kv");

    // A string value is edited as text and stays a JSON string.
    entryRow("greeting").findElement(By.xpath(".//button[.='Edit']")).click();
    assertThat(new Select(browser.visible("dialog.kv-dialog select")).getFirstSelectedOption().getText()).isEqualTo("Text");
    WebElement text = browser.visible("dialog.kv-dialog textarea[aria-label='Value']");
    assertThat(text.getAttribute("value")).isEqualTo("good morning");
    text.sendKeys(Keys.chord(Keys.CONTROL, "a"), "good night", Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.gone("dialog.kv-dialog");
    browser.showing("tr[data-key='greeting']", "\"good night\"");
    assertThat(server.result(garden("rose") + "/kv/greeting").get("value").asText()).isEqualTo("good night");

    // Adding a key that exists replaces nothing.
    browser.visible(By.xpath("//button[contains(., 'Add entry')]")).click();
    browser.visible("dialog.kv-dialog input[aria-label='Key']").sendKeys("favourite");
    browser.visible("dialog.kv-dialog textarea[aria-label='Value']").sendKeys("1", Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing("dialog.kv-dialog .error-box", "exists already");
    browser.visible("dialog.kv-dialog textarea[aria-label='Value']").sendKeys(Keys.ESCAPE);
    browser.gone("dialog.kv-dialog");
    assertThat(server.result(garden("rose") + "/kv/favourite").get("value").get("petals").asInt()).isEqualTo(5);

    WebElement delete = entryRow("favourite").findElement(By.xpath(".//button[contains(., 'Delete')]"));
    delete.click();
    delete.click();
    browser.wait.until(ExpectedConditions.stalenessOf(delete));
    browser.wait.until(d -> browser.all("tr[data-key='favourite']").isEmpty());
    assertThat(server.get(garden("rose") + "/kv/favourite").statusCode()).isEqualTo(404);
  }

  @Test
  void anAlarmIsSetFromTheQuickButtonsDeletedAndRunNow() {
    browser.open("#/ns/app-Garden/o/name:rose/alarm");
    browser.showing(".alarm-status", "No alarm is set.");
    long before = Instant.now().toEpochMilli();
    browser.visible(By.xpath("//button[contains(., 'In 1 hour')]")).click();
    long after = Instant.now().toEpochMilli();
    browser.visible(By.xpath("//button[contains(., 'Set alarm')]")).click();
    browser.showing(".alarm-status", "in 1 hour");
    JsonNode alarm = server.result(garden("rose") + "/alarm");
    assertThat(alarm.get("epoch_millis").asLong()).as("the alarm through the API")
        .isBetween(before + 3_600_000 - 1_000, after + 3_600_000);
    browser.showing(".stats", "Alarm in 1 hour");
    browser.screenshot("12-alarm");

    browser.visible(By.xpath("//button[.='Delete alarm']")).click();
    browser.showing(".alarm-status", "No alarm is set.");
    assertThat(server.result(garden("rose") + "/alarm").get("epoch_millis").isNull()).as("deleted through the API").isTrue();
    browser.visible(By.xpath("//button[contains(., 'Set alarm')]")).click();
    browser.showing(".alarm-status", "in 1 hour");
    assertThat(server.result(garden("rose") + "/alarm").get("epoch_millis").asLong())
        .isEqualTo(alarm.get("epoch_millis").asLong());

    browser.visible(By.xpath("//button[contains(., 'Run now')]")).click();
    browser.showing(".alarm-outcome", "The alarm handler ran");
    browser.showing(".alarm-status", "No alarm is set.");
    assertThat(server.result(garden("rose") + "/kv/alarm-ran-for").get("value").asText())
        .isEqualTo(alarm.get("scheduled_time").asText());
  }

  @Test
  void anApiRefusalIsShownAsAReadableMessageInThePage() {
    browser.open("#/ns/app-Shed/o/name:bare/alarm");
    browser.visible(By.xpath("//button[contains(., 'In 10 s')]")).click();
    browser.visible(By.xpath("//button[contains(., 'Set alarm')]")).click();
    WebElement error = browser.showing(".alarm-outcome .error-box", "Not set");
    assertThat(error.getText()).contains("alarm").contains("HTTP 400");
    browser.screenshot("13-alarm-refused");
    assertThat(server.result(StudioServer.NAMESPACES + "/app-Shed/objects/name:bare/alarm").get("epoch_millis").isNull()).isTrue();

    browser.open("#/ns/app-Garden/o/" + "0".repeat(64));
    browser.showing(".object-page .error-box", "Could not read this object");
  }

  @Test
  void exportLinksDownloadTheObjectAndItsTables() {
    browser.open("#/ns/app-Garden/o/name:rose/tables/beds");
    browser.visible(".menu summary").click();
    List<String> formats = texts(".menu-items a");
    assertThat(formats).containsExactly("JSON", "CSV (zip)", "SQL", "SQLite file");
    String json = browser.visible(".menu-items a").getAttribute("href");
    HttpResponse<String> export = server.get(json.substring(json.indexOf("/cdn-cgi")));
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("rose"));
    assertThat(export.body()).contains("\"plants\"").contains("moss");
    String csv = browser.visible(By.xpath("//div[@class='exports']/a[.='CSV']")).getAttribute("href");
    assertThat(server.get(csv.substring(csv.indexOf("/cdn-cgi"))).body()).startsWith("bed,row,plant").contains("north,1,1");
  }

  @Test
  void theStudioFitsANarrowWindowAndReadsInTheDarkTheme() {
    browser.resize(new Dimension(420, 800));
    browser.open("#/ns/app-Garden");
    browser.showing(".objects-list", "rose");
    assertNoSidewaysScroll("objects on a narrow window");
    browser.screenshot("14-narrow-objects");
    browser.open("#/ns/app-Garden/o/name:rose/tables/plants");
    browser.showing(".page-info", "of 40");
    assertNoSidewaysScroll("tables on a narrow window");
    browser.screenshot("15-narrow-tables");

    browser.resize(StudioBrowser.DESKTOP);
    browser.darkMode(true);
    browser.open("#/ns/app-Garden/o/name:rose/tables/plants");
    browser.showing(".page-info", "of 40");
    String background = (String) browser.script("return getComputedStyle(document.body).backgroundColor");
    assertThat(luminance(background)).as("the body's background in the dark theme: %s", background).isLessThan(0.1);
    browser.screenshot("16-dark-tables");
    browser.open("#/ns/app-Garden/o/name:rose/sql");
    WebElement editor = browser.visible("textarea.sql-input");
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "SELECT id, name, height, note FROM plants LIMIT 8", Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.showing(".sql-meta", "8 rows");
    browser.screenshot("17-dark-sql");
    browser.darkMode(false);
    browser.open("#/ns/app-Garden/o/name:rose/tables/plants");
    browser.showing(".page-info", "of 40");
    background = (String) browser.script("return getComputedStyle(document.body).backgroundColor");
    assertThat(luminance(background)).as("the light theme's background: %s", background).isGreaterThan(0.8);
  }

  @Test
  void aServerWithAnExplorerTokenIsBrowsedOnceTheTokenIsGivenAndExportsCarryIt(@TempDir Path tokenState,
      @TempDir Path downloads) throws Exception {
    try (StudioServer guarded = new StudioServer(tokenState, "s3cret-token")) {
      browser.openAt(guarded.server.url(), "#/ns/app-Garden");
      WebElement token = browser.visible("#token-dialog input[type='password']");
      browser.screenshot("18-token");
      token.sendKeys("wrong", Keys.ENTER);
      browser.showing("#token-dialog .token-error", "The explorer token is wrong");
      token.sendKeys(Keys.chord(Keys.CONTROL, "a"), "s3cret-token", Keys.ENTER);
      browser.gone("#token-dialog");
      browser.showing(".sidebar", "Garden");
      browser.showing(".objects", "No objects in this namespace yet");

      browser.downloadInto(downloads);
      browser.openAt(guarded.server.url(), "#/ns/app-Garden/o/name:kept/kv");
      browser.visible(By.xpath("//button[contains(., 'Add entry')]")).click();
      browser.visible("dialog.kv-dialog input[aria-label='Key']").sendKeys("k");
      browser.visible("dialog.kv-dialog textarea[aria-label='Value']").sendKeys("[1, 2]", Keys.chord(Keys.CONTROL, Keys.ENTER));
      browser.visible("tr[data-key='k']");
      browser.visible(".menu summary").click();
      browser.visible(".menu-items a").click();
      Path file = downloads.resolve("app-Garden-kept.json");
      browser.wait.withMessage(() -> "waiting for the export in " + downloads)
          .until(d -> java.nio.file.Files.exists(file));
      assertThat(java.nio.file.Files.readString(file)).contains("\"k\"");
    }
  }

  // ---- helpers ----

  private static void assertNoSidewaysScroll(String what) {
    Object overflow = browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue()).as("pixels the page scrolls sideways (%s)", what).isLessThanOrEqualTo(0);
  }

  /** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
  private static double luminance(String rgb) {
    String[] parts = rgb.replaceAll("[^0-9.,]", "").split(",");
    double r = Double.parseDouble(parts[0]) / 255;
    double g = Double.parseDouble(parts[1]) / 255;
    double b = Double.parseDouble(parts[2]) / 255;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  private static List<String> names() {
    return texts(".objects-list tbody td.name");
  }

  private static List<String> texts(String css) {
    return browser.all(css).stream().map(WebElement::getText).toList();
  }

  private static WebElement row(String name) {
    return browser.all(".objects-list tbody tr").stream()
        .filter(r -> r.findElement(By.cssSelector("td.name")).getText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("No object '" + name + "' listed; listed: " + names()));
  }

  private static WebElement cell(int row, String column) {
    return browser.visible("table.grid td[data-row='" + row + "'][data-column='" + column + "']");
  }

  private static WebElement header(String column) {
    return browser.visible(By.xpath("//table[contains(@class,'grid')]//th//button[.//span[@class='col-name' and .='" + column + "']]"));
  }

  private static WebElement entryRow(String key) {
    return browser.visible("tr[data-key='" + key + "']");
  }

  /** One row of plants, by id, through the API. */
  private static JsonNode rowOf(String object, int id) {
    JsonNode page = server.result(garden(object) + "/tables/plants/rows?filter_column=id&filter_value=" + id);
    JsonNode columns = page.get("columns");
    JsonNode values = page.get("rows").get(0);
    var out = StudioServer.JSON.createObjectNode();
    for (int i = 0; i < columns.size(); i++) {
      out.set(columns.get(i).asText(), values.get(i));
    }
    return out;
  }

  /** Mouse gestures. */
  private record Actions(StudioBrowser browser) {
    void doubleClick(WebElement element) {
      new org.openqa.selenium.interactions.Actions(browser.driver).doubleClick(element).perform();
    }
  }
}
