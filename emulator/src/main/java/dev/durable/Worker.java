package dev.durable;

/**
 * The stateless entry of an application: every HTTP request that is not the emulator's own
 * reaches {@link #fetch}. Implementations need a public no-argument constructor.
 *
 * <pre>{@code
 * public class App implements Worker {
 *   public Response fetch(Request req, Env env, ExecutionContext ctx) {
 *     DurableObjectNamespace ns = env.durableObject("COUNTER");
 *     return ns.getByName(req.query("name")).fetch(req);
 *   }
 * }
 * }</pre>
 */
public interface Worker {
  /** Handles one HTTP request. An exception becomes a 500 response and is logged. */
  Response fetch(Request request, Env env, ExecutionContext ctx) throws Exception;

  /** Handles a cron trigger from the configuration's {@code triggers.crons}. */
  default void scheduled(ScheduledEvent event, Env env, ExecutionContext ctx) throws Exception {}
}
