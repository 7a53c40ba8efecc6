package dev.durable.samples;

import dev.durable.DurableObjectException;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.agents.AgentRouter;
import dev.durable.samples.ratelimit.RateLimiterApi;
import dev.durable.samples.subscription.DemoPaymentProvider;
import dev.durable.samples.workspace.MessageThread;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The samples' worker: a stateless router that sends each request to the object that owns it.
 * Names in the path become object names ({@code getByName}), so the same name always reaches the
 * same object.
 *
 * <ul>
 *   <li>{@code /counter/{name}}: {@code COUNTER}.
 *   <li>{@code /chat/{room}}, {@code /chat/{room}/history}, {@code /chat/{room}/presence}: {@code CHAT}.
 *   <li>{@code /workspaces/{ws}/...}: {@code WORKSPACE}, except a thread's own routes
 *       ({@code GET /workspaces/{ws}/threads/{id}} and {@code .../messages}), which go straight to
 *       {@code THREAD}.
 *   <li>{@code /subscriptions/{customer}}: {@code SUBSCRIPTION}; {@code /payments/charges}: the
 *       {@link DemoPaymentProvider} the subscriptions charge under {@code durable dev}.
 *   <li>{@code /ratelimit/{key}}: {@code RATE_LIMITER}, called by typed RPC.
 *   <li>{@code /locks/{name}}: {@code LOCK}.
 *   <li>{@code /agents/counter-agent/{name}}: {@code COUNTER_AGENT}, through {@link AgentRouter}:
 *       WebSockets from Cloudflare's JavaScript {@code AgentClient}, and plain HTTP.
 *   <li>{@code /agents/{session}/...}: {@code AGENT}.
 * </ul>
 *
 * <p>Both kinds of agent share {@code /agents/}: the router is asked first and claims only paths
 * whose second segment names an agent binding ({@code counter-agent}); every other path under
 * {@code /agents/} is a session's. So a session cannot be named {@code counter-agent}.
 */
public class App implements Worker {
  private static final String ROUTES = """
      durable samples: one worker, six Durable Object applications (see samples/README.md)
        POST|GET /counter/{name}
        GET      /chat/{room}?user=NAME (WebSocket), /chat/{room}/history, /chat/{room}/presence
        POST|GET /workspaces/{ws}/threads, DELETE /workspaces/{ws}
        GET|DELETE /workspaces/{ws}/threads/{id}, POST|GET /workspaces/{ws}/threads/{id}/messages
        POST|GET|DELETE /subscriptions/{customer}
        POST|GET /ratelimit/{key}[?cost=N]
        POST|GET|DELETE /locks/{name}
        GET      /agents/counter-agent/{name} (WebSocket: Cloudflare's AgentClient; HTTP: the state)
        POST|GET /agents/{session}/messages, GET /agents/{session}/messages/{id},
                 GET /agents/{session}/runs/{id}[/events], GET /agents/{session}/search?q=
      """;

  /** The areas of the API and what their second path segment names. */
  private static final Map<String, String> AREAS = Map.of("counter", "counter name", "chat", "room name",
      "workspaces", "workspace name", "subscriptions", "customer name", "ratelimit", "rate limit key",
      "locks", "lock name", "agents", "session name");

  /** The areas whose objects have only the one path {@code /{area}/{name}}. */
  private static final Set<String> ONE_PATH = Set.of("counter", "subscriptions", "ratelimit", "locks");

  /** The agents under {@code /agents/}; other names there are the sessions of {@code AGENT}. */
  private static final AgentRouter AGENTS = AgentRouter.builder().bindings("COUNTER_AGENT")
      .passUnknownAgents().build();

  /** Routes one request; see the class documentation for the routes. */
  @Override
  public Response fetch(Request request, Env env, ExecutionContext ctx) {
    try {
      Optional<Response> agent = AGENTS.route(request, env);
      if (agent.isPresent()) {
        return agent.get();
      }
      List<String> path = Http.segments(request);
      if (path.isEmpty()) {
        return Response.text(ROUTES);
      }
      String area = path.get(0);
      if (area.equals("payments") && path.size() == 2 && path.get(1).equals("charges")) {
        return DemoPaymentProvider.charge(request);
      }
      if (path.size() < 2 || !AREAS.containsKey(area) || (ONE_PATH.contains(area) && path.size() != 2)) {
        throw HttpError.notFound("No route for " + request.method() + " " + request.path()
            + "; GET / lists the routes");
      }
      String name = Http.name(AREAS.get(area), path.get(1));
      return switch (area) {
        case "counter" -> env.durableObject("COUNTER").getByName(name).fetch(request);
        case "chat" -> env.durableObject("CHAT").getByName(name).fetch(request);
        case "workspaces" -> workspaces(request, env, path, name);
        case "subscriptions" -> env.durableObject("SUBSCRIPTION").getByName(name).fetch(request);
        case "ratelimit" -> rateLimit(request, env, name);
        case "locks" -> env.durableObject("LOCK").getByName(name).fetch(request);
        default -> env.durableObject("AGENT").getByName(name).fetch(request);
      };
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  private static Response workspaces(Request request, Env env, List<String> path, String workspace) {
    boolean threadRoute = path.size() == 4 && path.get(2).equals("threads");
    boolean messagesRoute = path.size() == 5 && path.get(2).equals("threads") && path.get(4).equals("messages");
    if (messagesRoute || (threadRoute && !request.method().equals("DELETE"))) {
      String thread = Http.name("thread id", path.get(3));
      return env.durableObject("THREAD").getByName(MessageThread.objectName(workspace, thread)).fetch(request);
    }
    if (path.size() == 2 || (path.size() == 3 && path.get(2).equals("threads")) || threadRoute) {
      return env.durableObject("WORKSPACE").getByName(workspace).fetch(request);
    }
    throw HttpError.notFound("No route " + request.path() + "; a workspace has /threads, /threads/{id}"
        + " and /threads/{id}/messages");
  }

  /**
   * The limiter decides through a typed stub; the worker turns its decision into HTTP: 200, or
   * 429 with {@code Retry-After}.
   */
  private static Response rateLimit(Request request, Env env, String key) {
    RateLimiterApi limiter = env.durableObject("RATE_LIMITER").getByName(key, RateLimiterApi.class);
    RateLimiterApi.Decision decision = switch (request.method()) {
      case "POST" -> {
        String raw = request.query("cost");
        int cost;
        try {
          cost = raw == null ? 1 : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
          throw HttpError.badRequest("?cost= must be a whole number of tokens, got '" + raw + "'");
        }
        try {
          yield limiter.take(cost);
        } catch (DurableObjectException e) {
          if (IllegalArgumentException.class.getName().equals(e.remoteType())) {
            throw HttpError.badRequest(e.getMessage());
          }
          throw e;
        }
      }
      case "GET" -> limiter.peek();
      default -> throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, POST");
    };
    Response.Builder b = Response.builder(decision.allowed() ? 200 : 429).json(decision)
        .header("ratelimit-limit", Integer.toString(decision.limit()))
        .header("ratelimit-remaining", Integer.toString(decision.remaining()));
    if (!decision.allowed()) {
      b.header("retry-after", Long.toString(decision.retryAfterSeconds()));
    }
    return b.build();
  }
}
