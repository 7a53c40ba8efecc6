package dev.durable.samples.lock;

import static dev.durable.samples.Requests.delete;
import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.method;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.Response;
import dev.durable.testkit.DurableObjectsExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseLockTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static Response acquire(String owner, int ttlSeconds) {
    return dos.worker().fetch(post("/locks/deploy", "{\"owner\": \"" + owner + "\", \"ttlSeconds\": " + ttlSeconds + "}"));
  }

  @Test
  void theFirstOwnerGetsTheLeaseWithTokenOne() {
    assertThat(acquire("ada", 30)).hasStatus(200).hasJsonBody("""
        {"name": "deploy", "held": true, "owner": "ada", "token": 1, "expiresAt": "2026-01-01T00:00:30Z"}""");
    assertThat(dos.worker().fetch("/locks/deploy")).hasJsonBody("""
        {"name": "deploy", "held": true, "owner": "ada", "token": 1, "expiresAt": "2026-01-01T00:00:30Z"}""");
    assertThat(dos.stub("LOCK", "deploy")).hasAlarmAt(Instant.parse("2026-01-01T00:00:30Z"));
  }

  @Test
  void anotherOwnerIsRefusedWhileTheLeaseLasts() {
    acquire("ada", 30);
    assertThat(acquire("bob", 30)).hasStatus(409).hasJsonBody(
        "{\"error\": \"deploy is held by ada until 2026-01-01T00:00:30Z; try again later\"}");
  }

  @Test
  void theHolderAcquiringAgainExtendsItsLeaseKeepingItsToken() {
    acquire("ada", 30);
    dos.clock().advance(Duration.ofSeconds(20));

    assertThat(acquire("ada", 30)).hasStatus(200)
        .satisfies(r -> assertThat(json(r)).containsEntry("token", 1).containsEntry("expiresAt", "2026-01-01T00:00:50Z"));

    dos.clock().advance(Duration.ofSeconds(20));
    assertThat(acquire("bob", 30)).as("the extended lease still holds at 00:00:40").hasStatus(409);
    assertThat(dos.stub("LOCK", "deploy")).hasAlarmAt(Instant.parse("2026-01-01T00:00:50Z"));
  }

  @Test
  void theAlarmReleasesTheLeaseWhenItRunsOut() {
    acquire("ada", 30);

    dos.clock().advance(Duration.ofSeconds(29));
    assertThat(dos.stub("LOCK", "deploy")).hasKey("lease");
    dos.clock().advance(Duration.ofSeconds(1));

    assertThat(dos.stub("LOCK", "deploy")).doesNotHaveKey("lease").hasValue("lastToken", 1).hasNoAlarm();
    assertThat(dos.worker().fetch("/locks/deploy")).hasJsonBody("{\"name\": \"deploy\", \"held\": false}");
    assertThat(acquire("bob", 10)).hasStatus(200).satisfies(r -> assertThat(json(r)).containsEntry("token", 2));
  }

  @Test
  void aLeaseWhoseAlarmIsLateCountsAsReleased() {
    acquire("ada", 30);
    dos.clock().setInstant(Instant.parse("2026-01-01T00:00:29Z"));
    dos.runInDurableObject(dos.stub("LOCK", "deploy"), (LeaseLock lock, dev.durable.DurableObjectState state) ->
        state.storage().setAlarm(Instant.parse("2026-01-01T01:00:00Z")));
    dos.clock().advance(Duration.ofSeconds(1));

    assertThat(dos.stub("LOCK", "deploy")).hasKey("lease");
    assertThat(acquire("bob", 10)).hasStatus(200).satisfies(r -> assertThat(json(r)).containsEntry("token", 2));
  }

  @Test
  void releasingWithTheTokenFreesTheLockAtOnce() {
    acquire("ada", 30);

    assertThat(dos.worker().fetch(delete("/locks/deploy?token=1"))).hasStatus(200)
        .hasJsonBody("{\"name\": \"deploy\", \"held\": false, \"released\": 1}");

    assertThat(dos.stub("LOCK", "deploy")).hasNoAlarm().doesNotHaveKey("lease");
    assertThat(acquire("bob", 30)).hasStatus(200);
  }

  @Test
  void aStaleTokenCannotReleaseTheNextHoldersLease() {
    acquire("ada", 10);
    dos.clock().advance(Duration.ofSeconds(10));
    acquire("bob", 30);

    assertThat(dos.worker().fetch(delete("/locks/deploy?token=1"))).hasStatus(409).hasJsonBody(
        "{\"error\": \"deploy is held by bob with token 2, not 1; a lease can only be released with its own token\"}");
    assertThat(dos.worker().fetch("/locks/deploy")).satisfies(r -> assertThat(json(r)).containsEntry("owner", "bob"));
  }

  @Test
  void releasingALockNobodyHoldsIs409() {
    assertThat(dos.worker().fetch(delete("/locks/deploy?token=1"))).hasStatus(409);
  }

  @Test
  void releasingWithoutATokenIs400() {
    acquire("ada", 30);
    assertThat(dos.worker().fetch(delete("/locks/deploy"))).hasStatus(400).hasJsonBody(
        "{\"error\": \"Say which lease to release: ?token=N, the token the acquisition answered\"}");
    assertThat(dos.worker().fetch(delete("/locks/deploy?token=one"))).hasStatus(400);
    assertThat(dos.worker().fetch("/locks/deploy")).satisfies(r -> assertThat(json(r)).containsEntry("held", true));
  }

  @Test
  void anAcquisitionNeedsAnOwnerAndATimeToLiveWithinAnHour() {
    assertThat(acquire("ada", 0)).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"ttlSeconds\\\" must be within 1..3600, got 0\"}");
    assertThat(acquire("ada", 3601)).hasStatus(400);
    assertThat(dos.worker().fetch(post("/locks/deploy", "{\"owner\": \"ada\"}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"ttlSeconds\\\" must be within 1..3600, got null\"}");
    assertThat(dos.worker().fetch(post("/locks/deploy", "{\"ttlSeconds\": 5}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"owner is missing or empty\"}");
    assertThat(dos.worker().fetch(post("/locks/deploy", "{\"owner\": \"ada\", \"ttlSeconds\": \"soon\"}")))
        .hasStatus(400);
    assertThat(dos.worker().fetch(method("PUT", "/locks/deploy"))).hasStatus(405);
    assertThat(dos.snapshot(dos.stub("LOCK", "deploy")).isEmpty()).isTrue();
  }
}
