package dev.durable.samples.ratelimit;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.method;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.Response;
import dev.durable.testkit.DurableObjectsExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimiterTest {
  /** samples/durable.jsonc sets RATE_LIMIT_PER_MINUTE to 10: a token every 6 s. */
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static Response take(String key) {
    return dos.worker().fetch(post("/ratelimit/" + key));
  }

  @Test
  void aKeyGetsTenRequestsAMinuteThen429WithRetryAfter() {
    for (int i = 9; i >= 0; i--) {
      assertThat(take("ada")).hasStatus(200)
          .hasJsonBody("{\"allowed\": true, \"remaining\": " + i + ", \"limit\": 10, \"retryAfterSeconds\": 0}");
    }

    Response refused = take("ada");

    assertThat(refused).hasStatus(429)
        .hasJsonBody("{\"allowed\": false, \"remaining\": 0, \"limit\": 10, \"retryAfterSeconds\": 6}");
    assertThat(refused.header("retry-after")).contains("6");
    assertThat(refused.header("ratelimit-limit")).contains("10");
    assertThat(refused.header("ratelimit-remaining")).contains("0");
  }

  @Test
  void tokensComeBackContinuouslyAtTheLimitPerMinute() {
    dos.worker().fetch(post("/ratelimit/ada?cost=10"));
    dos.clock().advance(Duration.ofSeconds(5));
    assertThat(take("ada")).hasStatus(429)
        .satisfies(r -> assertThat(json(r)).containsEntry("retryAfterSeconds", 1));

    dos.clock().advance(Duration.ofSeconds(1));
    assertThat(take("ada")).hasStatus(200).satisfies(r -> assertThat(json(r)).containsEntry("remaining", 0));

    dos.clock().advance(Duration.ofSeconds(30));
    assertThat(dos.worker().fetch("/ratelimit/ada")).hasStatus(200)
        .satisfies(r -> assertThat(json(r)).containsEntry("remaining", 5));
  }

  @Test
  void aRefusedRequestTakesNothing() {
    dos.worker().fetch(post("/ratelimit/ada?cost=8"));
    assertThat(dos.worker().fetch(post("/ratelimit/ada?cost=3"))).hasStatus(429)
        .satisfies(r -> assertThat(json(r)).containsEntry("remaining", 2).containsEntry("retryAfterSeconds", 6));
    assertThat(dos.worker().fetch(post("/ratelimit/ada?cost=2"))).hasStatus(200);
  }

  @Test
  void keysHaveBucketsOfTheirOwn() {
    dos.worker().fetch(post("/ratelimit/ada?cost=10"));
    assertThat(take("ada")).hasStatus(429);
    assertThat(take("bob")).hasStatus(200);
  }

  @Test
  void aFullBucketForgetsItsKeyThroughItsAlarm() {
    take("ada");
    take("ada");
    assertThat(dos.stub("RATE_LIMITER", "ada")).hasKey("bucket")
        .hasAlarmAt(Instant.parse("2026-01-01T00:00:12Z"));

    dos.clock().advance(Duration.ofSeconds(12));

    assertThat(dos.snapshot(dos.stub("RATE_LIMITER", "ada")).isEmpty()).isTrue();
    assertThat(dos.worker().fetch("/ratelimit/ada")).satisfies(r -> assertThat(json(r)).containsEntry("remaining", 10));
  }

  @Test
  void theBucketSurvivesEviction() {
    dos.worker().fetch(post("/ratelimit/ada?cost=9"));
    dos.evict(dos.stub("RATE_LIMITER", "ada"));
    assertThat(take("ada")).hasStatus(200).satisfies(r -> assertThat(json(r)).containsEntry("remaining", 0));
    assertThat(take("ada")).hasStatus(429);
  }

  @Test
  void concurrentRequestsNeverShareTheLastToken() throws Exception {
    List<Future<Integer>> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 30; i++) {
        statuses.add(pool.submit(() -> take("hot").status()));
      }
    }
    List<Integer> got = new ArrayList<>();
    for (Future<Integer> f : statuses) {
      got.add(f.get());
    }
    assertThat(got).filteredOn(s -> s == 200).hasSize(10);
    assertThat(got).filteredOn(s -> s == 429).hasSize(20);
  }

  @Test
  void aCostThatIsNotAWholeNumberWithinTheCapacityIs400() {
    assertThat(dos.worker().fetch(post("/ratelimit/ada?cost=two"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"?cost= must be a whole number of tokens, got 'two'\"}");
    assertThat(dos.worker().fetch(post("/ratelimit/ada?cost=0"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"cost must be within 1..10 (the bucket's capacity), got 0\"}");
    assertThat(dos.worker().fetch(post("/ratelimit/ada?cost=11"))).hasStatus(400);
    assertThat(dos.worker().fetch(method("DELETE", "/ratelimit/ada"))).hasStatus(405);
    assertThat(dos.worker().fetch(post("/ratelimit/ada/extra"))).hasStatus(404);
    assertThat(dos.stub("RATE_LIMITER", "ada")).doesNotHaveKey("bucket");
  }

  @Test
  void theTypedStubRefusesABadCostWithTheLimitersOwnMessage() {
    RateLimiterApi limiter = dos.stub("RATE_LIMITER", "rpc").as(RateLimiterApi.class);
    assertThat(limiter.take(3)).isEqualTo(new RateLimiterApi.Decision(true, 7, 10, 0));
    assertThatThrownBy(() -> limiter.take(-1)).hasMessageContaining("cost must be within 1..10");
  }
}
