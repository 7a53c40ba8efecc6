package dev.durable.samples.subscription;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import dev.durable.samples.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One customer's subscription, renewed by its alarm. Subscribing charges the first 30-day period
 * and sets the alarm at its end; the alarm charges the next period through the payment provider
 * ({@code ctx.fetch} to {@code PAYMENT_URL}) and sets itself again. A declined card downgrades
 * the customer to the free plan at once; an unreachable provider is retried an hour later, up to
 * {@value #MAX_ATTEMPTS} attempts, then downgrades too. Cancelling deletes the alarm; the paid
 * plan lasts until the end of the period already paid for.
 *
 * <ul>
 *   <li>{@code POST /subscriptions/{customer}} with {@code {"plan": "pro", "card": "tok_visa"}}:
 *       201 and the subscription, 402 when the card is declined, 502 when the provider is
 *       unavailable, 409 when the customer already has one.
 *   <li>{@code GET /subscriptions/{customer}}: the subscription and its payments.
 *   <li>{@code DELETE /subscriptions/{customer}}: cancels.
 * </ul>
 */
public class Subscription extends DurableObject {
  /** The length of one paid period. */
  public static final Duration PERIOD = Duration.ofDays(30);
  /** How long after a failed attempt (provider unavailable) the renewal is tried again. */
  public static final Duration RETRY_AFTER = Duration.ofHours(1);
  static final int MAX_ATTEMPTS = 3;
  private static final String STATE = "subscription";
  private static final String NEW_SUBSCRIPTION = "{\"plan\": \"pro\", \"card\": \"tok_visa\"}";

  /** A subscription as requested. */
  record NewSubscription(String plan, String card) {}

  /**
   * What the object keeps under the key {@code subscription}.
   *
   * @param status {@code active}, {@code past_due} (a renewal attempt failed and will be tried
   *     again at {@code retryAt}), {@code canceled} or {@code downgraded}
   * @param renewsAt when the paid period ends and the next one is charged
   * @param activeUntil for a canceled subscription, when the paid plan ends
   */
  record State(String customer, Plan plan, String card, String status, Instant renewsAt,
      Instant retryAt, int failedAttempts, Instant activeUntil, String reason) {
    State with(String status, Instant renewsAt, Instant retryAt, int failedAttempts) {
      return new State(customer, plan, card, status, renewsAt, retryAt, failedAttempts, activeUntil, reason);
    }

    boolean renews() {
      return status.equals("active") || status.equals("past_due");
    }
  }

  /** Called by the runtime. */
  public Subscription(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  /** Subscribes, shows and cancels; see the class documentation for the routes. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      if (path.size() != 2) {
        throw HttpError.notFound("No route " + request.path() + "; use /subscriptions/{customer}");
      }
      String customer = path.get(1);
      return switch (request.method()) {
        case "POST" -> Http.json(201, subscribe(customer,
            Http.readJson(request, NewSubscription.class, NEW_SUBSCRIPTION)));
        case "GET" -> Response.json(view(customer));
        case "DELETE" -> Response.json(cancel(customer));
        default -> throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, POST, DELETE");
      };
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  /**
   * Renews: charges the next period and sets the alarm at its end, or schedules another attempt,
   * or downgrades. A late or repeated delivery does no harm: it charges only when the period is
   * really over, with the same idempotency key for every attempt at one period.
   */
  @Override
  public void alarm(AlarmInfo info) {
    State state = state().orElse(null);
    if (state == null || !state.renews()) {
      return;
    }
    Instant due = state.status().equals("past_due") ? state.retryAt() : state.renewsAt();
    if (Timestamps.now(ctx).isBefore(due)) {
      ctx.storage().setAlarm(due);
      return;
    }
    Instant nextEnd = state.renewsAt().plus(PERIOD);
    Charge charge = Charge.run(ctx, env, state.customer(), state.card(), state.plan(),
        "renew-" + state.customer() + "-" + state.renewsAt(),
        state.plan().id() + " plan, " + state.renewsAt() + " to " + nextEnd);
    recordPayment(state.plan(), charge);
    switch (charge) {
      case Charge.Paid paid -> {
        save(state.with("active", nextEnd, null, 0));
        ctx.storage().setAlarm(nextEnd);
      }
      case Charge.Declined declined -> downgrade(state, "renewal declined: " + declined.reason());
      case Charge.Unavailable unavailable -> {
        int attempts = state.failedAttempts() + 1;
        if (attempts >= MAX_ATTEMPTS) {
          downgrade(state, "renewal failed " + attempts + " times: " + unavailable.reason());
        } else {
          Instant retryAt = Timestamps.now(ctx).plus(RETRY_AFTER);
          save(state.with("past_due", state.renewsAt(), retryAt, attempts));
          ctx.storage().setAlarm(retryAt);
        }
      }
    }
  }

  private Map<String, Object> subscribe(String customer, NewSubscription request) {
    Plan plan = Plan.paid(request.plan());
    String card = request.card();
    if (card == null || !card.matches("tok_[A-Za-z0-9_]{1,60}")) {
      throw HttpError.badRequest("\"card\" must be a card token like tok_visa, got "
          + (card == null ? "nothing" : "'" + card + "'"));
    }
    Optional<State> current = state();
    if (current.isPresent() && current.get().renews()) {
      State s = current.get();
      throw HttpError.conflict(customer + " already has the " + s.plan().id() + " plan (" + s.status()
          + ", renews at " + s.renewsAt() + "); cancel it first");
    }
    Instant now = Timestamps.now(ctx);
    Instant end = now.plus(PERIOD);
    Charge charge = Charge.run(ctx, env, customer, card, plan, "subscribe-" + customer + "-" + now,
        plan.id() + " plan, " + now + " to " + end);
    recordPayment(plan, charge);
    switch (charge) {
      case Charge.Paid paid -> {
        save(new State(customer, plan, card, "active", end, null, 0, null, null));
        ctx.storage().setAlarm(end);
        return view(customer);
      }
      case Charge.Declined declined -> throw HttpError.of(402, "Payment declined, " + declined.reason()
          + "; nothing changed, try another card");
      case Charge.Unavailable unavailable -> throw HttpError.of(502, "Payment provider unavailable: "
          + unavailable.reason() + "; nothing changed, try again");
    }
  }

  private Map<String, Object> cancel(String customer) {
    State s = state().filter(State::renews).orElseThrow(() ->
        HttpError.notFound(customer + " has no active subscription to cancel"));
    // A past-due subscription has not paid for the current period: it ends now.
    Instant until = s.status().equals("active") ? s.renewsAt() : Timestamps.now(ctx);
    save(new State(s.customer(), s.plan(), s.card(), "canceled", null, null, 0, until, "canceled by the customer"));
    ctx.storage().deleteAlarm();
    return view(customer);
  }

  private void downgrade(State s, String reason) {
    save(new State(s.customer(), Plan.FREE, s.card(), "downgraded", null, null, 0, null, reason));
    ctx.storage().deleteAlarm();
  }

  /** What clients see: the plan in force now, the status, the dates that matter, the payments. */
  private Map<String, Object> view(String customer) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("customer", customer);
    State s = state().orElse(null);
    if (s == null) {
      v.put("plan", Plan.FREE.id());
      v.put("status", "none");
      v.put("payments", payments()); // a declined first charge is on record
      return v;
    }
    boolean paidUp = s.renews() || (s.activeUntil() != null && Timestamps.now(ctx).isBefore(s.activeUntil()));
    v.put("plan", paidUp ? s.plan().id() : Plan.FREE.id());
    v.put("status", s.status());
    putIfPresent(v, "renewsAt", s.renewsAt());
    putIfPresent(v, "retryAt", s.retryAt());
    putIfPresent(v, "activeUntil", s.activeUntil());
    putIfPresent(v, "reason", s.reason());
    v.put("payments", payments());
    return v;
  }

  private void recordPayment(Plan plan, Charge charge) {
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS payments(
          id INTEGER PRIMARY KEY, at TEXT NOT NULL, plan TEXT NOT NULL, amount_cents INTEGER NOT NULL,
          outcome TEXT NOT NULL, detail TEXT NOT NULL)""");
    String[] outcome = switch (charge) {
      case Charge.Paid p -> new String[] {"paid", p.chargeId()};
      case Charge.Declined d -> new String[] {"declined", d.reason()};
      case Charge.Unavailable u -> new String[] {"failed", u.reason()};
    };
    ctx.storage().sql().exec("INSERT INTO payments(at, plan, amount_cents, outcome, detail) VALUES (?, ?, ?, ?, ?)",
        Timestamps.now(ctx).toString(), plan.id(), plan.priceCents(), outcome[0], outcome[1]);
  }

  private List<Map<String, Object>> payments() {
    boolean any = !ctx.storage().sql()
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'payments'").toList().isEmpty();
    return any ? ctx.storage().sql().exec("""
        SELECT at, plan, amount_cents AS amountCents, outcome, detail FROM payments ORDER BY id""").toList()
        : List.of();
  }

  private Optional<State> state() {
    return ctx.storage().get(STATE, State.class);
  }

  private void save(State state) {
    ctx.storage().put(STATE, state);
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value.toString());
    }
  }
}
