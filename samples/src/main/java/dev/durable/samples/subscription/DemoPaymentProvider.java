package dev.durable.samples.subscription;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in payment provider so the subscription sample runs under {@code durable dev} with no
 * account anywhere: the worker serves it at {@code POST /payments/charges}, and
 * {@code PAYMENT_URL} in {@code samples/durable.jsonc} points there. It keeps nothing. The card
 * {@code tok_declined} is declined (402); every other {@code tok_...} card pays, and the same
 * {@code Idempotency-Key} always gives the same charge id, as a real provider's would.
 */
public final class DemoPaymentProvider {
  private static final String CHARGE = "{\"customer\": \"ada\", \"card\": \"tok_visa\", \"amountCents\": 1200}";

  /** A charge request as {@link Charge} sends it. */
  record ChargeRequest(String customer, String card, Integer amountCents, String currency, String description) {}

  private DemoPaymentProvider() {}

  /** Answers one charge request. */
  public static Response charge(Request request) {
    try {
      if (!request.method().equals("POST")) {
        throw HttpError.methodNotAllowed(request.method(), request.path(), "POST");
      }
      String key = request.header("idempotency-key").orElseThrow(() ->
          HttpError.badRequest("Send an Idempotency-Key header so a retried charge is not paid twice"));
      ChargeRequest charge = Http.readJson(request, ChargeRequest.class, CHARGE);
      if (charge.card() == null || !charge.card().startsWith("tok_")) {
        throw HttpError.badRequest("\"card\" must be a card token like tok_visa");
      }
      if (charge.amountCents() == null || charge.amountCents() <= 0) {
        throw HttpError.badRequest("\"amountCents\" must be a positive number of cents");
      }
      if (charge.card().equals("tok_declined")) {
        throw HttpError.of(402, "card_declined: the card tok_declined always is");
      }
      Map<String, Object> paid = new LinkedHashMap<>();
      paid.put("id", "ch_" + digest(key));
      paid.put("status", "succeeded");
      paid.put("amountCents", charge.amountCents());
      return Response.json(paid);
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  private static String digest(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }
}
