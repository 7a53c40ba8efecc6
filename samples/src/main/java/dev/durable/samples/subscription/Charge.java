package dev.durable.samples.subscription;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.samples.Http;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to the payment provider, and what came of it. The provider is whatever the
 * {@code PAYMENT_URL} variable names: {@link DemoPaymentProvider} under {@code durable dev}, the
 * test kit's fetch mock in tests.
 *
 * <p>The request is {@code POST PAYMENT_URL} with an {@code Idempotency-Key} header and a JSON body
 * {@code {"customer", "card", "amountCents", "currency", "description"}}. A 2xx answer means
 * paid, a 4xx means declined (the card will not pay: retrying is pointless), anything else, or no
 * answer at all, means the provider is unavailable (retrying later may work). Alarms are
 * delivered at least once, so the key makes a repeated charge of the same period harmless.
 */
sealed interface Charge {
  /** The provider took the money. */
  record Paid(String chargeId) implements Charge {}

  /** The provider refused the card. */
  record Declined(String reason) implements Charge {}

  /** The provider could not be reached or failed; the charge may be tried again. */
  record Unavailable(String reason) implements Charge {}

  /** Charges a card, keeping other events out of the object until the provider has answered. */
  static Charge run(DurableObjectState ctx, Env env, String customer, String card, Plan plan,
      String idempotencyKey, String description) {
    String url = env.var("PAYMENT_URL").orElse(null);
    if (url == null || url.isBlank()) {
      return new Unavailable("PAYMENT_URL is not set in the vars of durable.jsonc");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customer", customer);
    body.put("card", card);
    body.put("amountCents", plan.priceCents());
    body.put("currency", "usd");
    body.put("description", description);
    Request request;
    try {
      request = Request.builder("POST", url).header("idempotency-key", idempotencyKey).json(body).build();
    } catch (IllegalArgumentException e) {
      return new Unavailable("PAYMENT_URL is not a usable URL: " + e.getMessage());
    }
    // Nothing else may change the subscription while its money is in flight (a cancel arriving
    // mid-charge would otherwise be overwritten by the charge's outcome).
    return ctx.blockConcurrencyWhile(() -> {
      Response response;
      try {
        response = ctx.fetch(request);
      } catch (Exception e) {
        return new Unavailable("POST " + url + " failed: " + Http.failure(e));
      }
      if (response.ok()) {
        return new Paid(chargeId(response));
      }
      String text = response.text();
      String why = "the provider answered " + response.status() + (text.isBlank() ? "" : ": " + abbreviate(text));
      return response.status() >= 400 && response.status() < 500 ? new Declined(why) : new Unavailable(why);
    });
  }

  /** The charge's id from a JSON answer's {@code id}, or empty when there is none. */
  private static String chargeId(Response response) {
    try {
      Map<?, ?> answer = response.json(Map.class);
      Object id = answer == null ? null : answer.get("id");
      return id == null ? "" : id.toString();
    } catch (IllegalArgumentException notJson) {
      return "";
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
