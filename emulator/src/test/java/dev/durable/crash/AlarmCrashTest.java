package dev.durable.crash;

import dev.durable.testsupport.DevServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarms across SIGKILL: a pending alarm fires after the restart, and a handler killed while it
 * runs is delivered again (at least once), counted as a retry.
 */
class AlarmCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aPendingAlarmFiresAfterKillNineAndAHandlerKilledMidRunIsRetriedWithItsRetryCount()
      throws Exception {
    Path config = CrashProject.writeTo(dir.resolve("project"));
    Path state = dir.resolve("state");
    try (DevServerProcess first = DevServerProcess.start(config, CrashProject.classes(), state)) {
      assertThat(post(first, "/alarm/stuck?in=0&mode=hang")).isEqualTo("set");
      assertThat(post(first, "/alarm/later?in=3000")).isEqualTo("set");
      first.awaitLine(l -> l.equals("ALARM-START stuck retry=0"), WAIT, "the hanging handler to start");
      first.kill();
      assertThat(first.output()).as("nothing fired before the kill but the hanging handler")
          .noneMatch(l -> l.startsWith("ALARM-DONE") || l.startsWith("ALARM-START later"));
    }
    try (DevServerProcess second = DevServerProcess.start(config, CrashProject.classes(), state)) {
      second.awaitLine(l -> l.equals("ALARM-DONE stuck retry=1"), WAIT,
          "the interrupted alarm to run again as retry 1");
      second.awaitLine(l -> l.equals("ALARM-DONE later retry=0"), WAIT,
          "the alarm set before the kill to fire");
      assertThat(get(second, "/alarm/stuck")).as("deliveries of 'stuck' recorded in its storage")
          .matches("retry=1 isRetry=true scheduled=\\d+");
      assertThat(get(second, "/alarm/later")).as("deliveries of 'later' recorded in its storage")
          .matches("retry=0 isRetry=false scheduled=\\d+");
      assertThat(second.output()).as("each alarm ran once after the restart")
          .filteredOn(l -> l.startsWith("ALARM-START")).containsExactlyInAnyOrder(
              "ALARM-START stuck retry=1", "ALARM-START later retry=0");
      second.stop();
    }
    assertThat(StateFiles.query(state.resolve("do/crash-Alarmed/metadata.sqlite"),
        "SELECT count(*) FROM _cf_ALARM")).as("delivered alarms are deleted from the alarm store")
        .isEqualTo("0");
    StateFiles.assertAllIntact(state);
  }

  @Test
  void aFacetsFirstAlarmSetRightBeforeKillNineFiresAfterTheRestart() throws Exception {
    Path config = CrashProject.writeTo(dir.resolve("project"));
    Path state = dir.resolve("state");
    try (DevServerProcess first = DevServerProcess.start(config, CrashProject.classes(), state)) {
      assertThat(post(first, "/touch/quiet?facet=idle&in=600000")).isEqualTo("set");
      first.stop(); // a start with the list of objects whose facets have alarms
    }
    try (DevServerProcess second = DevServerProcess.start(config, CrashProject.classes(), state)) {
      assertThat(post(second, "/touch/holder?facet=reminder&in=2000")).isEqualTo("set");
      second.kill(); // the facet's first alarm was the last write
    }
    try (DevServerProcess third = DevServerProcess.start(config, CrashProject.classes(), state)) {
      third.awaitLine(l -> l.equals("ALARM-DONE reminder retry=0"), WAIT,
          "the facet's alarm set before the kill to fire");
      third.stop();
    }
    StateFiles.assertAllIntact(state);
  }

  private String post(DevServerProcess emulator, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private String get(DevServerProcess emulator, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(emulator.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
