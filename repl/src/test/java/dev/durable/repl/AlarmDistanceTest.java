package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The "(in …)" after an alarm's time, measured from a fixed clock rather than the wall clock. */
class AlarmDistanceTest {
  private static final JsonNode FAR = ExplorerClient.NODES.objectNode()
      .put("scheduled_time", "2099-01-01T00:00:00Z");

  @Test
  void aDistanceOfWholeDaysDropsTheHours() {
    assertThat(AlarmCommands.describe(FAR, Instant.parse("2026-12-05T23:30:00Z")))
        .isEqualTo("2099-01-01T00:00:00Z (in 26324d)");
  }

  @Test
  void aDistanceOfDaysAndHoursShowsBoth() {
    assertThat(AlarmCommands.describe(FAR, Instant.parse("2026-12-05T00:30:00Z")))
        .isEqualTo("2099-01-01T00:00:00Z (in 26324d 23h)");
  }

  @Test
  void theScriptTestReadsEveryShapeTheSame() {
    for (String now : new String[] {"2026-12-05T23:30:00Z", "2026-12-05T00:30:00Z"}) {
      assertThat(AlarmCommands.describe(FAR, Instant.parse(now))
          .replaceAll(ScriptModeTest.SOME_DAYS, "(in some days)"))
          .as("at %s", now)
          .isEqualTo("2099-01-01T00:00:00Z (in some days)");
    }
  }

  @Test
  void aPastTimeIsDueAndShortDistancesRoundUpToTheSecond() {
    JsonNode soon = ExplorerClient.NODES.objectNode().put("scheduled_time", "2026-12-05T23:31:20Z");
    assertThat(AlarmCommands.describe(soon, Instant.parse("2026-12-05T23:30:00.500Z")))
        .isEqualTo("2026-12-05T23:31:20Z (in 1m 20s)");
    assertThat(AlarmCommands.describe(soon, Instant.parse("2026-12-06T00:30:00Z")))
        .isEqualTo("2026-12-05T23:31:20Z (due)");
  }
}
