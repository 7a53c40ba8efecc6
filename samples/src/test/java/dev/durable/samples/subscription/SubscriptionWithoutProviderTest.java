package dev.durable.samples.subscription;

import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.samples.App;
import dev.durable.testkit.DurableObjectsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubscriptionWithoutProviderTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("SUBSCRIPTION", Subscription.class)
      .worker(new App())
      .build();

  @Test
  void subscribingWithoutPaymentUrlSaysWhatToSetAndKeepsNothing() {
    assertThat(dos.worker().fetch(post("/subscriptions/ada", "{\"plan\": \"pro\", \"card\": \"tok_visa\"}")))
        .hasStatus(502)
        .hasJsonBody("{\"error\": \"Payment provider unavailable: PAYMENT_URL is not set in the vars of"
            + " durable.jsonc; nothing changed, try again\"}");
    assertThat(dos.stub("SUBSCRIPTION", "ada")).hasNoAlarm().doesNotHaveKey("subscription");
    assertThat(dos.fetchMock().requests()).isEmpty();
  }
}
