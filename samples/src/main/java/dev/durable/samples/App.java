package dev.durable.samples;

import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;

/**
 * The samples' worker: routes each request to the object that owns it.
 *
 * <ul>
 *   <li>{@code GET|POST /counter/{name}}: the {@code COUNTER} object of that name.
 *   <li>{@code GET /chat/{room}?user=NAME} (WebSocket), {@code GET /chat/{room}/history},
 *       {@code GET /chat/{room}/presence}: the {@code CHAT} room of that name.
 * </ul>
 */
public class App implements Worker {
  @Override
  public Response fetch(Request request, Env env, ExecutionContext ctx) {
    String[] parts = request.path().split("/", 4);
    String area = parts.length > 1 ? parts[1] : "";
    String name = parts.length > 2 ? parts[2] : "";
    if (area.equals("counter") && !name.isEmpty() && parts.length == 3) {
      return env.durableObject("COUNTER").getByName(name).fetch(request);
    }
    if (area.equals("chat") && !name.isEmpty()) {
      return env.durableObject("CHAT").getByName(name).fetch(request);
    }
    return Response.status(404, "No route for " + request.method() + " " + request.path()
        + ". Try: curl -X POST http://127.0.0.1:8787/counter/hello");
  }
}
