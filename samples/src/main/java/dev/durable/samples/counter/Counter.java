package dev.durable.samples.counter;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;

/**
 * The hello world of Durable Objects: one counter per name, kept in the object's storage. Each
 * counter handles one request at a time, so increments never race.
 */
public class Counter extends DurableObject implements CounterApi {
  /** Called by the runtime. */
  public Counter(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  @Override
  public long increment(long by) {
    long n = value() + by;
    ctx.storage().put("value", n);
    return n;
  }

  @Override
  public long value() {
    return ctx.storage().get("value", Long.class).orElse(0L);
  }

  /** {@code POST} increments by one; {@code GET} reads. Both answer the value as plain text. */
  @Override
  public Response fetch(Request request) {
    return switch (request.method()) {
      case "POST" -> Response.text(Long.toString(increment(1)));
      case "GET" -> Response.text(Long.toString(value()));
      default -> Response.builder(405).header("allow", "GET, POST")
          .header("content-type", "text/plain;charset=UTF-8")
          .body("Use GET to read the counter or POST to increment it").build();
    };
  }
}
