package dev.durable.internal.server;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.EventStream;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker and an object that answer with streams, for the streaming tests over HTTP (in this
 * JVM, and in a child JVM with a small heap: {@link StreamingServerMain}).
 *
 * <p>Routes: {@code /chunks?n=N} and {@code /object/chunks/{name}?n=N} stream N chunks, each
 * written once the test lets it ({@link #steps}); {@code /events/{name}} subscribes to the
 * object's server-sent events, {@code /push/{name}?event=E&data=D} stores D and sends it to the
 * subscribers, {@code /end/{name}} sends {@code done} and closes them; {@code /upload/{name}}
 * streams the request body through a stub to an object that answers each line as it arrives;
 * {@code /echo/{name}} answers the request body, streamed through an object; {@code /digest}
 * answers the length and SHA-256 of the body read as a stream, {@code /whole} of the body read
 * with {@code body()}.
 */
public final class StreamingTestApp implements Worker {
  /** Each chunk of a {@code /chunks} stream waits for one element here (its text). */
  static final BlockingQueue<String> steps = new LinkedBlockingQueue<>();
  /** What producers were told when their client went away. */
  static final BlockingQueue<String> cancelled = new LinkedBlockingQueue<>();

  @Override
  public Response fetch(Request request, Env env, ExecutionContext ctx) throws Exception {
    String[] parts = request.path().split("/");
    String route = parts.length < 2 ? "" : parts[1];
    return switch (route) {
      case "chunks" -> Response.stream("text/plain;charset=UTF-8", out -> writeSteps(out, count(request)));
      case "object", "events", "push", "end", "upload", "echo" ->
          env.durableObject("STREAMS").getByName(parts[parts.length - 1]).fetch(request);
      case "digest" -> Response.text(digest(request.bodyStream()));
      case "whole" -> {
        byte[] all = request.body();
        yield Response.text(all.length + " " + sha256(all));
      }
      default -> Response.status(404, "no route " + request.path());
    };
  }

  /** A runtime with this app's bindings, in memory. */
  static DurableRuntime.Builder runtime() {
    return DurableRuntime.builder().worker(new StreamingTestApp()).idleTimeout(Duration.ZERO)
        .bind("STREAMS", Streams.class);
  }

  static int count(Request request) {
    String n = request.query("n");
    return n == null ? 3 : Integer.parseInt(n);
  }

  static void writeSteps(OutputStream out, int n) throws IOException, InterruptedException {
    try {
      for (int i = 0; i < n; i++) {
        String step = steps.poll(30, TimeUnit.SECONDS);
        if (step == null) {
          throw new IllegalStateException("the test let no chunk go for 30 s");
        }
        out.write((step + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      cancelled.add(e.getMessage());
      throw e;
    }
  }

  static String digest(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sha.update(buffer, 0, n);
        total += n;
      }
    }
    return total + " " + HexFormat.of().formatHex(sha.digest());
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The object: streams chunks, keeps event subscribers, reads uploads as they arrive. */
  public static class Streams extends DurableObject {
    /**
     * Subscribers by object name. Static, not a field: a failed commit resets the instance, and
     * the output-gate test still needs the streams opened before it.
     */
    static final Map<String, List<EventStream>> subscribers = new ConcurrentHashMap<>();

    public Streams(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Response fetch(Request request) throws Exception {
      String name = ctx.id().name().orElseThrow();
      List<EventStream> streams = subscribers.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
      return switch (request.path().split("/")[1]) {
        case "object" -> Response.stream("text/plain;charset=UTF-8", out -> writeSteps(out, count(request)));
        case "events" -> {
          EventStream stream = EventStream.create();
          stream.onClose(() -> streams.remove(stream));
          for (Object stored : ctx.storage().get("log", List.class).orElse(List.of())) {
            stream.send("stored", (String) stored);
          }
          streams.add(stream);
          yield Response.events(stream);
        }
        case "push" -> {
          String data = request.query("data");
          List<Object> log = new java.util.ArrayList<>(ctx.storage().get("log", List.class).orElse(List.of()));
          log.add(data);
          ctx.storage().put("log", log);
          int sent = 0;
          for (EventStream s : streams) {
            sent += s.send(request.query("event"), data, Integer.toString(log.size())) ? 1 : 0;
          }
          yield Response.text(Integer.toString(sent));
        }
        case "end" -> {
          for (EventStream s : streams) {
            s.send("done", "");
            s.close();
          }
          yield Response.text(Integer.toString(streams.size()));
        }
        case "upload" -> {
          InputStream in = request.bodyStream();
          yield Response.stream("text/plain;charset=UTF-8", out -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
              for (String line; (line = lines.readLine()) != null; ) {
                out.write(("got " + line + "\n").getBytes(StandardCharsets.UTF_8));
              }
            }
          });
        }
        case "echo" -> Response.builder(200).header("content-type", "application/octet-stream")
            .body(request.bodyStream()).build();
        default -> Response.status(404, "no route " + request.path());
      };
    }
  }
}
