package dev.durable.explorer.studio;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;

/** Durable Object classes whose state the data studio's tests browse and edit. */
final class StudioObjects {
  private StudioObjects() {}

  /** Holds whatever the tests write; its alarm handler records when it ran. */
  public static class Garden extends DurableObject {
    public Garden(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    /** Wakes the object (an RPC call), leaving a mark in its storage. */
    public long plant(String seed) {
      long n = ctx.storage().get("planted", Long.class).orElse(0L) + 1;
      ctx.storage().put("planted", n);
      return n;
    }

    @Override
    public void alarm(AlarmInfo info) {
      ctx.storage().put("alarm-ran-for", info.scheduledTime().toString());
    }
  }

  /** A class without an alarm handler: setting its alarm is refused. */
  public static class Shed extends DurableObject {
    public Shed(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }
}
