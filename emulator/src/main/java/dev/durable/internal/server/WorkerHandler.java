package dev.durable.internal.server;

import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;

/**
 * The worker's route, in front of Javalin: a plain HTTP request outside {@code /cdn-cgi/} goes
 * from Jetty straight to the worker's {@code fetch}, and its response straight back. WebSocket
 * upgrades and the emulator's own paths ({@code /cdn-cgi/}: the scheduled trigger, extensions
 * such as the explorer) go on to Javalin.
 *
 * <p>Why not a Javalin route: Javalin's servlet layer, router and output stream cost about as much
 * CPU per request as Jetty itself, more than the worker's turn on a hot object. What Javalin did
 * for the worker's requests is done here: the body is read up to the server's limit (a larger
 * one is answered 413), a response without {@code content-type} is sent as plain text, and
 * every request is logged as the dev server logs it. Responses are not compressed: the worker's
 * body goes out as the worker made it.
 */
final class WorkerHandler extends Handler.Wrapper {
  private static final String EMULATOR_PATHS = "/cdn-cgi/";
  /** The largest array a JVM hands out, about 2 GiB: the cap on a body held in memory. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final DurableRuntime runtime;
  private final long maxBodyBytes;

  WorkerHandler(DurableRuntime runtime, long maxBodyBytes) {
    this.runtime = runtime;
    this.maxBodyBytes = Math.min(maxBodyBytes, MAX_ARRAY);
  }

  @Override
  public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
      Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    if (path == null || !path.startsWith("/") || path.startsWith(EMULATOR_PATHS) || isWebSocketUpgrade(request)) {
      return super.handle(request, response, callback);
    }
    long started = System.nanoTime();
    String method = request.getMethod();
    Response answer;
    byte[] body = readBody(request);
    if (body == null) {
      answer = Response.status(413, "Content Too Large");
      WorkerRequests.log(method, path, answer, started, List.of());
    } else {
      answer = WorkerRequests.call(runtime, method, path, started, () -> HttpMessages.toRequest(request, body));
    }
    write(answer, response, callback);
    return true;
  }

  /** Other upgrades (Java's HTTP client offers {@code h2c}) are ignored, as Jetty ignores them. */
  private static boolean isWebSocketUpgrade(org.eclipse.jetty.server.Request request) {
    HttpField upgrade = request.getHeaders().getField(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.contains("websocket");
  }

  /** The body, or null when it is larger than the limit. */
  private byte[] readBody(org.eclipse.jetty.server.Request request) throws IOException {
    long declared = request.getLength();
    if (declared == 0) {
      return new byte[0];
    }
    if (declared > maxBodyBytes) {
      return null;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared > 0) {
        return in.readNBytes((int) declared);
      }
      // Length unknown: chunked, or (most requests without a body) nothing at all.
      int first = in.read();
      if (first < 0) {
        return new byte[0];
      }
      byte[] buffer = new byte[8192];
      buffer[0] = (byte) first;
      int size = 1;
      while (true) {
        if (size == buffer.length) {
          if (size > maxBodyBytes) {
            return null;
          }
          // One byte past the limit tells a body that is too large from one that fits exactly.
          buffer = Arrays.copyOf(buffer, (int) Math.min(2L * size, maxBodyBytes + 1));
        }
        int n = in.read(buffer, size, buffer.length - size);
        if (n < 0) {
          return size > maxBodyBytes ? null : Arrays.copyOf(buffer, size);
        }
        size += n;
      }
    }
  }

  private static void write(Response answer, org.eclipse.jetty.server.Response response, Callback callback) {
    response.setStatus(answer.status());
    HttpFields.Mutable out = response.getHeaders();
    HttpMessages.headers(answer, out::add);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }
}
