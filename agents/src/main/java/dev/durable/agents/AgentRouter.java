package dev.durable.agents;

import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's side of agents: sends {@code /agents/{agent}/{name}[/...]} to the agent, as
 * Cloudflare's {@code routeAgentRequest} does. {@code {agent}} is the kebab-case binding name or
 * class name ({@code COUNTER_AGENT} or {@code CounterAgent}: {@code counter-agent}), and
 * {@code {name}} (URL-decoded, without {@code /}) picks the object by {@code idFromName}.
 * WebSocket upgrades become connections; other requests reach {@link Agent#onRequest}.
 *
 * <pre>{@code
 * public Response fetch(Request request, Env env, ExecutionContext ctx) {
 *   return AgentRouter.routeAgentRequest(request, env)
 *       .orElseGet(() -> Response.status(404, "not found"));
 * }
 * }</pre>
 *
 * A path outside the prefix is not handled (empty), so the worker's own routes go on. A path
 * under the prefix whose agent matches no binding gets 400, unless the router was built with
 * {@link Builder#passUnknownAgents()}, which leaves such paths to the worker too.
 */
public final class AgentRouter {
  private final List<String> prefix;
  private final Set<String> bindings;
  private final boolean passUnknownAgents;

  private AgentRouter(Builder b) {
    this.prefix = segments(b.prefix);
    this.bindings = b.bindings;
    this.passUnknownAgents = b.passUnknownAgents;
  }

  /** Routes with the defaults: prefix {@code agents}, every Durable Object binding of the worker. */
  public static Optional<Response> routeAgentRequest(Request request, Env env) {
    return builder().build().route(request, env);
  }

  /** A builder for a router with other options. */
  public static Builder builder() {
    return new Builder();
  }

  /** The agent's response, or empty when the request is not an agent's. */
  public Optional<Response> route(Request request, Env env) {
    List<String> path = segments(request.url().getRawPath());
    if (path.size() < prefix.size() + 2 || !path.subList(0, prefix.size()).equals(prefix)) {
      return Optional.empty();
    }
    String agent;
    String name;
    try {
      agent = decode(path.get(prefix.size()));
      name = decode(path.get(prefix.size() + 1));
    } catch (IllegalArgumentException e) {
      return Optional.of(Response.status(400, "The path " + request.url().getRawPath()
          + " is not URL-encoded properly: " + e.getMessage()));
    }
    Map<String, String> known = agents(env);
    String binding = known.get(agent);
    if (binding == null) {
      if (passUnknownAgents) {
        return Optional.empty();
      }
      return Optional.of(Response.status(400, "No agent '" + agent + "' under /" + String.join("/", prefix)
          + "/; the agents are " + String.join(", ", new ArrayList<>(known.keySet()))));
    }
    if (name.contains("/")) {
      return Optional.of(Response.status(400, "An agent name must not contain '/', got '" + name + "'"));
    }
    return Optional.of(env.durableObject(binding).getByName(name).fetch(request));
  }

  /** Kebab-case agent names (of bindings and of classes) to binding names. */
  private Map<String, String> agents(Env env) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String binding : env.durableObjectBindings().stream().sorted().toList()) {
      if (bindings != null && !bindings.contains(binding)) {
        continue;
      }
      byName.putIfAbsent(AgentNames.kebab(binding), binding);
      String namespaceId = env.durableObject(binding).namespaceId(); // <script>-<Class>
      byName.putIfAbsent(AgentNames.kebab(namespaceId.substring(namespaceId.lastIndexOf('-') + 1)), binding);
    }
    return byName;
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path == null ? new String[0] : path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  /** Builds an {@link AgentRouter}. */
  public static final class Builder {
    private String prefix = "agents";
    private Set<String> bindings;
    private boolean passUnknownAgents;

    private Builder() {}

    /** The path prefix, {@code agents} by default (the JavaScript client's {@code prefix}). */
    public Builder prefix(String prefix) {
      if (prefix == null || segments(prefix).isEmpty()) {
        throw new IllegalArgumentException("An agent route prefix must have a path segment, got '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /** Routes to these bindings only, instead of every Durable Object binding. */
    public Builder bindings(String... bindings) {
      if (bindings.length == 0) {
        throw new IllegalArgumentException("bindings() needs at least one binding name");
      }
      this.bindings = Set.of(bindings);
      return this;
    }

    /**
     * Leaves paths under the prefix whose agent matches no binding to the worker (empty)
     * instead of answering 400: for a worker that has routes of its own under the prefix.
     */
    public Builder passUnknownAgents() {
      this.passUnknownAgents = true;
      return this;
    }

    /** The router. */
    public AgentRouter build() {
      return new AgentRouter(this);
    }
  }
}
