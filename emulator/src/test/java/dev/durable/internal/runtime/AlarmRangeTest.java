package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.internal.alarm.AlarmStore;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarm times at the edges of what Cloudflare accepts, on the wall clock the dev server runs on:
 * a time centuries ahead is an ordinary alarm, a time past the range is refused before anything
 * is written, and a stored row out of range (left by an older version) never stops a start.
 */
class AlarmRangeTest {
  private static final Instant YEAR_2400 = Instant.parse("2400-01-01T00:00:00Z");
  /** One millisecond after the latest instant a JavaScript Date can hold. */
  private static final Instant PAST_THE_RANGE = Instant.ofEpochMilli(8_640_000_000_000_001L);

  @TempDir
  Path dir;
  private DurableRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private DurableRuntime start() {
    runtime = RuntimeTestSupport.onDisk(dir).build(); // the system clock, as durable dev runs
    return runtime;
  }

  private void restart() {
    runtime.close();
    start();
  }

  private Optional<Instant> alarmOf(String name) {
    return inObject(runtime, "ALARM", name, s -> s.getAlarm());
  }

  private Optional<AlarmStore.StoredAlarm> storedRow(String name) {
    ObjectNamespace ns = (ObjectNamespace) runtime.namespace("ALARM");
    String id = ns.idFromName(name).toString();
    Path namespaceDir = ns.directory();
    runtime.close();
    try (AlarmStore store = new AlarmStore(namespaceDir, false)) {
      return store.get(id);
    } finally {
      start();
    }
  }

  @Test
  void anAlarmCenturiesAheadCommitsWithTheEventsWritesAndSurvivesARestart() {
    start();
    inObject(runtime, "ALARM", "y2400", s -> {
      s.put("before", 1);
      s.setAlarm(YEAR_2400);
      s.put("after", 2);
      return null;
    });
    assertThat(alarmOf("y2400")).as("getAlarm() after the commit").contains(YEAR_2400);

    restart();

    assertThat(alarmOf("y2400")).as("getAlarm() after a restart").contains(YEAR_2400);
    Optional<Integer> after = inObject(runtime, "ALARM", "y2400", s -> s.get("after", Integer.class));
    assertThat(after).as("the event's writes").contains(2);
    inObject(runtime, "ALARM", "y2400", s -> {
      s.deleteAlarm();
      return null;
    });
    assertThat(alarmOf("y2400")).as("getAlarm() after deleteAlarm()").isEmpty();
    assertThat(storedRow("y2400")).as("the row in metadata.sqlite after deleteAlarm()").isEmpty();
  }

  @Test
  void aTimePastCloudflaresRangeIsRefusedNamingItAndNothingIsWritten() {
    start();
    for (Instant bad : new Instant[] {PAST_THE_RANGE, Instant.MAX, Instant.MIN}) {
      assertThatThrownBy(() -> inObject(runtime, "ALARM", "far", s -> {
        s.put("written", true);
        s.setAlarm(bad);
        return null;
      }))
          .as("setAlarm(%s)", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.toString());
    }
    assertThat(alarmOf("far")).isEmpty();
    Optional<Boolean> written = inObject(runtime, "ALARM", "far", s -> s.get("written", Boolean.class));
    assertThat(written).as("the refused event's other writes").isEmpty();
    assertThat(storedRow("far")).as("the row in metadata.sqlite").isEmpty();
  }

  @Test
  void aStoredAlarmOutOfRangeIsSkippedAtStartAndCanBeDeleted() throws Exception {
    start();
    inObject(runtime, "ALARM", "old", s -> {
      s.setAlarm(YEAR_2400);
      return null;
    });
    ObjectNamespace ns = (ObjectNamespace) runtime.namespace("ALARM");
    String id = ns.idFromName("old").toString();
    Path metadata = ns.directory().resolve("metadata.sqlite");
    runtime.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + metadata);
         PreparedStatement ps = c.prepareStatement(
             "UPDATE _cf_ALARM SET scheduled_time = ? WHERE actor_id = ?")) {
      ps.setLong(1, Long.MAX_VALUE); // what an older version wrote for a time it did not check
      ps.setString(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    start(); // threw "long overflow" from the clock before

    assertThat(alarmOf("old")).contains(Instant.ofEpochMilli(Long.MAX_VALUE));
    inObject(runtime, "ALARM", "old", s -> {
      s.deleteAlarm();
      return null;
    });
    assertThat(storedRow("old")).as("the row after deleteAlarm()").isEmpty();
    inObject(runtime, "ALARM", "fresh", s -> {
      s.setAlarm(YEAR_2400);
      return null;
    });
    assertThat(alarmOf("fresh")).as("other objects' alarms").contains(YEAR_2400);
  }
}
