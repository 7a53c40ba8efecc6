package dev.durable.internal.server;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketPair;
import dev.durable.Worker;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A worker and objects the server tests talk to over real HTTP. */
public final class ServerTestApp implements Worker {
  /** Released when a request to {@code /slow/{ms}} has reached the worker. */
  static final java.util.concurrent.Semaphore slowStarted = new java.util.concurrent.Semaphore(0);

  /** The crons the scheduled handler ran, in order. */
  static final java.util.List<String> scheduledCrons = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void scheduled(dev.durable.ScheduledEvent event, Env env, ExecutionContext ctx) {
    scheduledCrons.add(event.cron());
  }

  /**
   * Routes {@code /counter/{name}}, {@code /echo/{name}}, {@code /room/{name}?user=}, {@code /boom},
   * and {@code /inspect/...}, which answers what reached the worker.
   */
  @Override
  public Response fetch(Request request, Env env, ExecutionContext ctx) throws InterruptedException {
    String[] parts = request.path().split("/");
    if (parts.length < 2) {
      return Response.status(404, "no route");
    }
    return switch (parts[1]) {
      case "counter" -> env.durableObject("COUNTER").getByName(parts[2]).fetch(request);
      case "echo" -> env.durableObject("COUNTER").getByName(parts[2]).fetch(request);
      case "room" -> env.durableObject("ROOM").getByName(parts[2]).fetch(request);
      case "broken" -> env.durableObject("BROKEN").getByName("x").fetch(request);
      case "boom" -> throw new IllegalStateException("the worker blew up");
      case "inspect" -> Response.text(request.method() + " " + request.url() + " x-test="
          + request.headers().getAll("x-test") + " body=" + request.bodyLength());
      case "slow" -> {
        slowStarted.release();
        Thread.sleep(Long.parseLong(parts[2]));
        yield env.durableObject("COUNTER").getByName("slow").fetch(Request.builder("POST", "http://x/").build());
      }
      default -> Response.status(404, "no route " + request.path());
    };
  }

  /** A runtime with this app's bindings. */
  static DurableRuntime.Builder runtime(Path state) {
    DurableRuntime.Builder b = DurableRuntime.builder().worker(new ServerTestApp())
        .idleTimeout(Duration.ZERO)
        .bind("COUNTER", Counter.class)
        .bind("ROOM", Room.class)
        .bind("BROKEN", Broken.class);
    return state == null ? b : b.stateDirectory(state);
  }

  /** POST increments, GET reads; PUT echoes the body bytes back with the request's content type. */
  public static class Counter extends DurableObject {
    public Counter(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      if (request.method().equals("PUT")) {
        return Response.builder(200)
            .header("content-type", request.header("content-type").orElse("application/octet-stream"))
            .header("x-echo-length", Integer.toString(request.bodyLength()))
            .body(request.body()).build();
      }
      long n = ctx.storage().get("n", Long.class).orElse(0L);
      if (request.method().equals("POST")) {
        ctx.storage().put("n", ++n);
      }
      return Response.text(Long.toString(n));
    }
  }

  /** A chat room of hibernatable sockets: broadcasts, tags by user, auto ping/pong. */
  public static class Room extends DurableObject {
    static final AtomicInteger constructed = new AtomicInteger();

    public Room(DurableObjectState ctx, Env env) {
      super(ctx, env);
      constructed.incrementAndGet();
      ctx.setWebSocketAutoResponse("ping", "pong");
    }

    @Override
    public Response fetch(Request request) {
      if (!request.isWebSocketUpgrade()) {
        return Response.status(426, "expected a WebSocket upgrade");
      }
      String user = request.query("user");
      if (user == null) {
        return Response.status(400, "user is required");
      }
      WebSocketPair pair = new WebSocketPair();
      ctx.acceptWebSocket(pair.server(), "user:" + user);
      pair.server().serializeAttachment(Map.of("user", user));
      return Response.webSocket(pair.client());
    }

    @Override
    public void webSocketMessage(WebSocket ws, String message) {
      String user = (String) ws.deserializeAttachment(Map.class).orElseThrow().get("user");
      if (message.startsWith("to:")) { // "to:<user>:<text>" goes to one user's sockets
        String[] p = message.split(":", 3);
        ctx.getWebSockets("user:" + p[1]).forEach(s -> s.send(user + "> " + p[2]));
        return;
      }
      if (message.startsWith("burst:")) { // "burst:<n>" sends n numbered messages back in one event
        for (int i = 1, n = Integer.parseInt(message.substring(6)); i <= n; i++) {
          ws.send("m" + i);
        }
        return;
      }
      if (message.startsWith("len:")) { // "len:<anything>" answers with the message's length
        ws.send("len " + message.length());
        return;
      }
      if (message.equals("bye")) {
        ws.close(4000, "bye " + user);
        return;
      }
      long seen = ctx.storage().get("messages", Long.class).orElse(0L) + 1;
      ctx.storage().put("messages", seen);
      ctx.getWebSockets().forEach(s -> s.send(user + ": " + message));
    }

    @Override
    public void webSocketMessage(WebSocket ws, byte[] message) {
      ws.send(message);
    }

    @Override
    public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
      String user = (String) ws.deserializeAttachment(Map.class).orElseThrow().get("user");
      ctx.storage().put("closed:" + user, code + " " + reason);
    }
  }

  /** An object whose constructor always throws. */
  public static class Broken extends DurableObject {
    public Broken(DurableObjectState ctx, Env env) {
      super(ctx, env);
      throw new IllegalStateException("constructor refuses");
    }
  }
}
