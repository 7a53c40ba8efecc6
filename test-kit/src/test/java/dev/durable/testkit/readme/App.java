package dev.durable.testkit.readme;

import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;

/** The README's worker: {@code /counter?name=a} counts in counter {@code a}. */
public class App implements Worker {
  @Override public Response fetch(Request req, Env env, ExecutionContext ctx) {
    if (req.path().equals("/rate")) {                  // asks another service
      return ctx.fetch(Request.get("https://api.example.com/rate"));
    }
    return env.durableObject("COUNTER").getByName(req.query("name")).fetch(req);
  }
}
