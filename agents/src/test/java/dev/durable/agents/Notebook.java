package dev.durable.agents;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;

/** A plain Durable Object, not an agent: the session tests show that {@link Sessions} needs only storage. */
public class Notebook extends DurableObject {
  public Notebook(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }
}
