package dev.durable.testkit.readme;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;

/** The counter of the README's "Writing an object", unchanged. */
public class Counter extends DurableObject implements CounterApi {
  public Counter(DurableObjectState ctx, Env env) { super(ctx, env); }

  @Override public long increment(long by) {
    long n = ctx.storage().get("n", Long.class).orElse(0L) + by;
    ctx.storage().put("n", n);
    return n;
  }

  @Override public Response fetch(Request request) {
    return Response.text(Long.toString(increment(1)));
  }

  @Override public void alarm(AlarmInfo info) {
    ctx.storage().sql().exec("INSERT INTO log(at) VALUES (?)", ctx.now().toString());
  }
}
