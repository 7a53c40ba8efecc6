package dev.durable.samples.counter;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.agents.Agent;
import dev.durable.agents.Callable;

/**
 * The counter as an agent: its state {@code {"count": n}} is synced to every connected client,
 * and clients call {@code increment(by)} by name. Cloudflare's JavaScript client talks to it
 * unchanged:
 *
 * <pre>{@code
 * const agent = new AgentClient({ agent: "CounterAgent", name: "hello", host: "127.0.0.1:8787" });
 * await agent.ready;                        // agent.state is {count: 0}
 * await agent.call("increment", [2]);       // 2, and every client's state is {count: 2}
 * }</pre>
 */
public class CounterAgent extends Agent<CounterAgent.Count> {
  /** The agent's state. */
  public record Count(long count) {}

  public CounterAgent(DurableObjectState ctx, Env env) {
    super(ctx, env, Count.class);
  }

  @Override
  protected Count initialState() {
    return new Count(0);
  }

  /** Adds to the count, sends the new state to every client, and returns the new count. */
  @Callable(description = "Adds to the count and returns the new count")
  public long increment(long by) {
    Count next = new Count(state().count() + by);
    setState(next);
    return next.count();
  }

  /** {@code GET /agents/counter-agent/{name}}: the state as JSON. */
  @Override
  protected Response onRequest(Request request) {
    return Response.json(state());
  }
}
