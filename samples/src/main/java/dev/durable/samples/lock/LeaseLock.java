package dev.durable.samples.lock;

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
 * A lock with a lease: one object per lock name. Whoever acquires it holds it for a time to live;
 * the alarm releases it when the lease runs out, so a holder that crashed cannot keep it forever.
 * Each acquisition gets a fencing token, a number that only grows: a resource guarded by the lock
 * refuses writes carrying a token older than the newest it has seen, which keeps a holder whose
 * lease expired while it was paused from doing harm.
 *
 * <ul>
 *   <li>{@code POST /locks/{name}} with {@code {"owner": "ada", "ttlSeconds": 30}}: 200 and the
 *       lease; the same owner acquiring again extends its lease (same token); 409 while another
 *       owner holds it.
 *   <li>{@code GET /locks/{name}}: who holds it, if anyone.
 *   <li>{@code DELETE /locks/{name}?token=N}: releases the lease with that token; 409 for a token
 *       that no longer holds the lock.
 * </ul>
 */
public class LeaseLock extends DurableObject {
  static final int MAX_TTL_SECONDS = 3600;
  private static final String LEASE = "lease";
  private static final String LAST_TOKEN = "lastToken";
  private static final String ACQUIRE = "{\"owner\": \"ada\", \"ttlSeconds\": 30}";

  /** An acquisition as requested. */
  record Acquire(String owner, Integer ttlSeconds) {}

  /** The lease in force, stored under {@code lease}. */
  record Lease(String owner, long token, Instant expiresAt) {}

  /** Called by the runtime. */
  public LeaseLock(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  /** Acquires, shows and releases; see the class documentation for the routes. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      if (path.size() != 2) {
        throw HttpError.notFound("No route " + request.path() + "; use /locks/{name}");
      }
      String name = path.get(1);
      return switch (request.method()) {
        case "POST" -> Response.json(acquire(name, Http.readJson(request, Acquire.class, ACQUIRE)));
        case "GET" -> Response.json(describe(name));
        case "DELETE" -> Response.json(release(name, request.query("token")));
        default -> throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, POST, DELETE");
      };
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  /** The lease ran out: release it, unless it was extended meanwhile. */
  @Override
  public void alarm(AlarmInfo info) {
    Optional<Lease> lease = ctx.storage().get(LEASE, Lease.class);
    if (lease.isEmpty()) {
      return;
    }
    if (Timestamps.now(ctx).isBefore(lease.get().expiresAt())) {
      ctx.storage().setAlarm(lease.get().expiresAt());
      return;
    }
    ctx.storage().delete(LEASE);
  }

  private Map<String, Object> acquire(String name, Acquire request) {
    String owner = Http.name("owner", request.owner());
    Integer ttl = request.ttlSeconds();
    if (ttl == null || ttl < 1 || ttl > MAX_TTL_SECONDS) {
      throw HttpError.badRequest("\"ttlSeconds\" must be within 1.." + MAX_TTL_SECONDS + ", got " + ttl);
    }
    Instant now = Timestamps.now(ctx);
    Optional<Lease> held = current(now);
    long token;
    if (held.isPresent()) {
      if (!held.get().owner().equals(owner)) {
        throw HttpError.conflict(name + " is held by " + held.get().owner() + " until "
            + held.get().expiresAt() + "; try again later");
      }
      token = held.get().token();
    } else {
      token = ctx.storage().get(LAST_TOKEN, Long.class).orElse(0L) + 1;
      ctx.storage().put(LAST_TOKEN, token);
    }
    Lease lease = new Lease(owner, token, now.plus(Duration.ofSeconds(ttl)));
    ctx.storage().put(LEASE, lease);
    ctx.storage().setAlarm(lease.expiresAt());
    return view(name, lease);
  }

  private Map<String, Object> release(String name, String tokenParam) {
    long token;
    try {
      token = Long.parseLong(tokenParam == null ? "" : tokenParam);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("Say which lease to release: ?token=N, the token the acquisition"
          + " answered" + (tokenParam == null ? "" : " (got '" + tokenParam + "')"));
    }
    Lease held = current(Timestamps.now(ctx)).orElseThrow(() ->
        HttpError.conflict(name + " is not held (a lease expires after its ttlSeconds); nothing to release"));
    if (held.token() != token) {
      throw HttpError.conflict(name + " is held by " + held.owner() + " with token " + held.token()
          + ", not " + token + "; a lease can only be released with its own token");
    }
    ctx.storage().delete(LEASE);
    ctx.storage().deleteAlarm();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("held", false);
    v.put("released", token);
    return v;
  }

  private Map<String, Object> describe(String name) {
    Optional<Lease> held = current(Timestamps.now(ctx));
    if (held.isPresent()) {
      return view(name, held.get());
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("held", false);
    return v;
  }

  /**
   * The lease if it has not run out. Alarms may come late, so an expired lease counts as released
   * even before its alarm has deleted it.
   */
  private Optional<Lease> current(Instant now) {
    return ctx.storage().get(LEASE, Lease.class).filter(l -> now.isBefore(l.expiresAt()));
  }

  private static Map<String, Object> view(String name, Lease lease) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("held", true);
    v.put("owner", lease.owner());
    v.put("token", lease.token());
    v.put("expiresAt", lease.expiresAt().toString());
    return v;
  }
}
