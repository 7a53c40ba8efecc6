package dev.durable.samples.subscription;

import static dev.durable.samples.Requests.delete;
import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.testkit.DurableObjectsExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubscriptionTest {
  /** What samples/durable.jsonc sets PAYMENT_URL to. */
  static final String PAYMENT_URL = "http://127.0.0.1:8787/payments/charges";
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static DurableObjectStub ada() {
    return dos.stub("SUBSCRIPTION", "ada");
  }

  private static void providerPays() {
    dos.fetchMock().on("POST", PAYMENT_URL).reply(r -> Response.json(Map.of("id", "ch_" + r.header("idempotency-key").orElseThrow())));
  }

  private static Response subscribe(String plan, String card) {
    return dos.worker().fetch(post("/subscriptions/ada", "{\"plan\": \"" + plan + "\", \"card\": \"" + card + "\"}"));
  }

  private static Map<String, Object> status() {
    return json(dos.worker().fetch("/subscriptions/ada"));
  }

  @Test
  void subscribingChargesTheFirstPeriodAndSetsTheRenewal30DaysOut() {
    providerPays();

    assertThat(subscribe("pro", "tok_visa")).hasStatus(201).hasJsonBody("""
        {"customer": "ada", "plan": "pro", "status": "active", "renewsAt": "2026-01-31T00:00:00Z",
         "payments": [{"at": "2026-01-01T00:00:00Z", "plan": "pro", "amountCents": 1200, "outcome": "paid",
                       "detail": "ch_subscribe-ada-2026-01-01T00:00:00Z"}]}""");

    assertThat(ada()).hasAlarmAt(START.plus(Duration.ofDays(30)));
    Request charge = dos.fetchMock().requests().get(0);
    assertThat(charge.header("idempotency-key")).contains("subscribe-ada-2026-01-01T00:00:00Z");
    assertThat(json(Response.builder(200).body(charge.body()).build())).containsEntry("customer", "ada")
        .containsEntry("card", "tok_visa").containsEntry("amountCents", 1200).containsEntry("currency", "usd");
  }

  @Test
  void theAlarmChargesEachPeriodAndRenewsAgain() {
    providerPays();
    subscribe("team", "tok_visa");

    dos.clock().advance(Duration.ofDays(29));
    assertThat(dos.fetchMock().requests()).hasSize(1);

    dos.clock().advance(Duration.ofDays(61));

    assertThat(dos.fetchMock().requests()).extracting(r -> r.header("idempotency-key").orElseThrow()).containsExactly(
        "subscribe-ada-2026-01-01T00:00:00Z", "renew-ada-2026-01-31T00:00:00Z", "renew-ada-2026-03-02T00:00:00Z",
        "renew-ada-2026-04-01T00:00:00Z");
    assertThat(status()).containsEntry("plan", "team").containsEntry("status", "active")
        .containsEntry("renewsAt", "2026-05-01T00:00:00Z");
    assertThat(list(status(), "payments")).extracting(p -> p.get("at") + " " + p.get("outcome") + " " + p.get("amountCents"))
        .containsExactly("2026-01-01T00:00:00Z paid 4900", "2026-01-31T00:00:00Z paid 4900",
            "2026-03-02T00:00:00Z paid 4900", "2026-04-01T00:00:00Z paid 4900");
    assertThat(ada()).hasAlarmAt(Instant.parse("2026-05-01T00:00:00Z"));
  }

  @Test
  void aDeclinedRenewalDowngradesToFreeAndStopsRenewing() {
    providerPays();
    subscribe("pro", "tok_visa");
    dos.fetchMock().on("POST", PAYMENT_URL).reply(402, "{\"error\": \"card_declined\"}");

    dos.clock().advance(Duration.ofDays(30));

    assertThat(status()).containsEntry("plan", "free").containsEntry("status", "downgraded")
        .containsEntry("reason", "renewal declined: the provider answered 402: {\"error\": \"card_declined\"}")
        .doesNotContainKey("renewsAt");
    assertThat(ada()).hasNoAlarm();
    dos.clock().advance(Duration.ofDays(60));
    assertThat(dos.fetchMock().requests()).hasSize(2);
  }

  @Test
  void anUnavailableProviderIsTriedAgainHourlyThenTheCustomerIsDowngraded() {
    providerPays();
    subscribe("pro", "tok_visa");
    dos.fetchMock().on("POST", PAYMENT_URL).reply(503, "down for maintenance");

    dos.clock().advance(Duration.ofDays(30));
    assertThat(status()).containsEntry("plan", "pro").containsEntry("status", "past_due")
        .containsEntry("retryAt", "2026-01-31T01:00:00Z");
    assertThat(ada()).hasAlarmAt(Instant.parse("2026-01-31T01:00:00Z"));

    dos.clock().advance(Duration.ofHours(2));

    assertThat(status()).containsEntry("plan", "free").containsEntry("status", "downgraded")
        .containsEntry("reason", "renewal failed 3 times: the provider answered 503: down for maintenance");
    assertThat(ada()).hasNoAlarm();
    assertThat(dos.fetchMock().requests()).extracting(r -> r.header("idempotency-key").orElseThrow())
        .as("every attempt at one period carries the same key")
        .containsExactly("subscribe-ada-2026-01-01T00:00:00Z", "renew-ada-2026-01-31T00:00:00Z",
            "renew-ada-2026-01-31T00:00:00Z", "renew-ada-2026-01-31T00:00:00Z");
  }

  @Test
  void aRenewalThatSucceedsOnRetryKeepsTheBillingDate() {
    providerPays();
    subscribe("pro", "tok_visa");
    dos.fetchMock().on("POST", PAYMENT_URL).fail(new ConnectException("Connection refused"));
    dos.clock().advance(Duration.ofDays(30));
    assertThat(status()).containsEntry("status", "past_due");

    providerPays();
    dos.clock().advance(Duration.ofHours(1));

    assertThat(status()).containsEntry("status", "active").containsEntry("renewsAt", "2026-03-02T00:00:00Z")
        .doesNotContainKey("retryAt");
    assertThat(list(status(), "payments")).extracting(p -> p.get("outcome")).containsExactly("paid", "failed", "paid");
    assertThat(ada()).hasAlarmAt(Instant.parse("2026-03-02T00:00:00Z"));
  }

  @Test
  void anEarlyOrRepeatedAlarmChargesNothing() {
    providerPays();
    subscribe("pro", "tok_visa");

    dos.runAlarm(ada());

    assertThat(dos.fetchMock().requests()).hasSize(1);
    assertThat(ada()).hasAlarmAt(START.plus(Duration.ofDays(30)));
  }

  @Test
  void cancellingDeletesTheAlarmAndKeepsThePlanUntilThePaidPeriodEnds() {
    providerPays();
    subscribe("pro", "tok_visa");
    dos.clock().advance(Duration.ofDays(10));

    assertThat(dos.worker().fetch(delete("/subscriptions/ada"))).hasStatus(200);

    assertThat(ada()).hasNoAlarm();
    assertThat(status()).containsEntry("plan", "pro").containsEntry("status", "canceled")
        .containsEntry("activeUntil", "2026-01-31T00:00:00Z");
    dos.clock().advance(Duration.ofDays(20));
    assertThat(status()).containsEntry("plan", "free").containsEntry("status", "canceled");
    assertThat(dos.fetchMock().requests()).hasSize(1);
  }

  @Test
  void aCanceledCustomerMaySubscribeAgain() {
    providerPays();
    subscribe("pro", "tok_visa");
    dos.worker().fetch(delete("/subscriptions/ada"));
    dos.clock().advance(Duration.ofDays(1));

    assertThat(subscribe("team", "tok_mastercard")).hasStatus(201);

    assertThat(status()).containsEntry("plan", "team").containsEntry("renewsAt", "2026-02-01T00:00:00Z");
  }

  @Test
  void aDeclinedFirstChargeIs402AndLeavesNoSubscription() {
    dos.fetchMock().on("POST", PAYMENT_URL).reply(402, "{\"error\": \"card_declined\"}");

    assertThat(subscribe("pro", "tok_declined")).hasStatus(402).hasJsonBody("{\"error\": \"Payment declined,"
        + " the provider answered 402: {\\\"error\\\": \\\"card_declined\\\"}; nothing changed, try another card\"}");

    assertThat(status()).containsEntry("plan", "free").containsEntry("status", "none");
    assertThat(list(status(), "payments")).extracting(p -> p.get("outcome")).containsExactly("declined");
    assertThat(ada()).hasNoAlarm();
  }

  @Test
  void anUnreachableProviderAtSubscriptionIs502AndChangesNothing() {
    dos.fetchMock().on("POST", PAYMENT_URL).fail(new IOException("Connection reset"));

    assertThat(subscribe("pro", "tok_visa")).hasStatus(502)
        .satisfies(r -> assertThat(json(r).get("error")).asString()
            .startsWith("Payment provider unavailable: POST " + PAYMENT_URL + " failed: ")
            .endsWith("; nothing changed, try again"));
    assertThat(status()).containsEntry("status", "none");
  }

  @Test
  void subscribingTwiceIs409() {
    providerPays();
    subscribe("pro", "tok_visa");

    assertThat(subscribe("team", "tok_visa")).hasStatus(409).hasJsonBody("{\"error\": \"ada already has the pro"
        + " plan (active, renews at 2026-01-31T00:00:00Z); cancel it first\"}");
    assertThat(dos.fetchMock().requests()).hasSize(1);
  }

  @Test
  void badPlansAndCardsAre400BeforeAnyCharge() {
    assertThat(subscribe("gold", "tok_visa")).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"plan\\\" is 'gold'; choose one of pro, team\"}");
    assertThat(subscribe("free", "tok_visa")).hasStatus(400);
    assertThat(subscribe("pro", "4242424242424242")).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"card\\\" must be a card token like tok_visa, got '4242424242424242'\"}");
    assertThat(dos.worker().fetch(post("/subscriptions/ada", "{\"card\": \"tok_visa\"}"))).hasStatus(400)
        .hasJsonBody("{\"error\": \"\\\"plan\\\" is missing; choose one of pro, team\"}");
    assertThat(dos.worker().fetch(post("/subscriptions/ada", "not json"))).hasStatus(400);
    assertThat(dos.fetchMock().requests()).isEmpty();
    assertThat(dos.snapshot(ada()).isEmpty()).isTrue();
  }

  @Test
  void cancellingWithoutASubscriptionIs404() {
    assertThat(dos.worker().fetch(delete("/subscriptions/ada"))).hasStatus(404)
        .hasJsonBody("{\"error\": \"ada has no active subscription to cancel\"}");
  }

  @Test
  void aCustomerNeverSubscribedIsOnTheFreePlan() {
    assertThat(dos.worker().fetch("/subscriptions/bob")).hasStatus(200)
        .hasJsonBody("{\"customer\": \"bob\", \"plan\": \"free\", \"status\": \"none\", \"payments\": []}");
    assertThat(dos.worker().fetch("/subscriptions/bob/invoices")).hasStatus(404);
  }

  @Test
  void theDemoProviderPaysEveryTokenButTokDeclinedAndAlwaysGivesOneKeyOneCharge() {
    Request charge = Request.builder("POST", "/payments/charges").header("idempotency-key", "k1")
        .body("{\"customer\": \"ada\", \"card\": \"tok_visa\", \"amountCents\": 1200}").build();
    Map<String, Object> first = json(dos.worker().fetch(charge));
    assertThat(first).containsEntry("status", "succeeded").containsEntry("amountCents", 1200);
    assertThat(json(dos.worker().fetch(charge))).isEqualTo(first);

    assertThat(dos.worker().fetch(Request.builder("POST", "/payments/charges").header("idempotency-key", "k2")
        .body("{\"card\": \"tok_declined\", \"amountCents\": 1200}").build())).hasStatus(402);
    assertThat(dos.worker().fetch(Request.builder("POST", "/payments/charges")
        .body("{\"card\": \"tok_visa\", \"amountCents\": 1200}").build())).hasStatus(400)
        .hasJsonBody("{\"error\": \"Send an Idempotency-Key header so a retried charge is not paid twice\"}");
    assertThat(dos.worker().fetch(Request.builder("POST", "/payments/charges").header("idempotency-key", "k3")
        .body("{\"card\": \"tok_visa\"}").build())).hasStatus(400);
  }
}
