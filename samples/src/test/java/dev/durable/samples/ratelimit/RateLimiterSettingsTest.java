package dev.durable.samples.ratelimit;

import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.samples.App;
import dev.durable.testkit.DurableObjectsExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimiterSettingsTest {
  @Nested
  class WithoutTheVariable {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("RATE_LIMITER", RateLimiter.class).worker(new App()).build();

    @Test
    void theLimitIsTenAMinute() {
      assertThat(dos.worker().fetch("/ratelimit/ada")).hasJsonBody(
          "{\"allowed\": true, \"remaining\": 10, \"limit\": 10, \"retryAfterSeconds\": 0}");
    }
  }

  @Nested
  class WithThreeAMinute {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("RATE_LIMITER", RateLimiter.class).worker(new App()).var("RATE_LIMIT_PER_MINUTE", 3).build();

    @Test
    void theFourthRequestWaitsTwentySeconds() {
      dos.worker().fetch(post("/ratelimit/ada?cost=3"));
      assertThat(dos.worker().fetch(post("/ratelimit/ada"))).hasStatus(429).hasJsonBody(
          "{\"allowed\": false, \"remaining\": 0, \"limit\": 3, \"retryAfterSeconds\": 20}");
    }
  }

  @Nested
  class WithANonsenseLimit {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("RATE_LIMITER", RateLimiter.class).worker(new App()).var("RATE_LIMIT_PER_MINUTE", "lots").build();

    @Test
    void everyCallSaysWhichVariableIsWrong() {
      assertThatThrownBy(() -> dos.stub("RATE_LIMITER", "ada").as(RateLimiterApi.class).peek())
          .hasMessageContaining("RATE_LIMIT_PER_MINUTE in durable.jsonc's vars must be a whole number"
              + " within 1..1000000, got 'lots'");
    }
  }
}
