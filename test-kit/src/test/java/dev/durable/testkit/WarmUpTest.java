package dev.durable.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.durable.runtime.DurableRuntime;
import org.junit.jupiter.api.Test;

/**
 * The warm-up swallows its failures (it is only an optimization), so a change that breaks it
 * would only make tests slower; these run its work directly, where a failure shows.
 */
class WarmUpTest {
  @Test
  void aFirstRoundAndALaterRoundOfTheWarmUpRunCleanly() {
    KitSettings settings = WarmUp.settings();
    assertThatCode(() -> {
      WarmUp.round(settings, true, () -> true);
      WarmUp.round(settings, false, () -> true);
    }).doesNotThrowAnyException();
  }

  @Test
  void loadingSqliteAssertJAndJacksonRunsCleanly() {
    assertThatCode(() -> {
      DurableRuntime.loadStorage();
      WarmUp.loadAssertJ();
      WarmUp.loadJackson();
    }).doesNotThrowAnyException();
  }
}
