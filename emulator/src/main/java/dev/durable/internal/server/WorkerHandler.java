package dev.durable.internal.server;

import dev.durable.Response;
import dev.durable.internal.body.BodyMemory;
import dev.durable.internal.body.IncomingBody;
import dev.durable.runtime.DurableRuntime;
import java.time.Duration;
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
 * for the worker's requests is done here: a body declared larger than the server's limit is
 * answered 413 (one that grows past it fails the read, and is answered 413 too), a response
 * without {@code content-type} is sent as plain text, and every request is logged as the dev
 * server logs it. Responses are not compressed: the worker's body goes out as the worker made it.
 *
 * <p>Bodies are not buffered here: the worker gets the request body as a stream straight from
 * Jetty ({@link IncomingBody}: read whole, it takes its size from the server's
 * {@link BodyMemory} until the exchange ends), and {@link ResponseSender} sends a streamed
 * response as it is produced.
 */
final class WorkerHandler extends Handler.Wrapper {
  private static final String EMULATOR_PATHS = "/cdn-cgi/";

  private final DurableRuntime runtime;
  private final long maxBodyBytes;
  private final BodyMemory bodyMemory;
  private final ResponseSender sender;

  WorkerHandler(DurableRuntime runtime, long maxBodyBytes, BodyMemory bodyMemory, Duration heartbeat) {
    this.sender = new ResponseSender(heartbeat);
    this.runtime = runtime;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyMemory = bodyMemory;
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
    long declared = request.getLength();
    if (declared > maxBodyBytes) {
      answer = Response.status(413, "Content Too Large: the body's " + declared + " bytes are over the"
          + " server's limit of " + maxBodyBytes + " (durable dev --max-body)");
      WorkerRequests.log(method, path, answer, started, List.of());
      write(answer, request, response, callback);
      return true;
    }
    // HTTP/1.1: no Content-Length and no Transfer-Encoding is no body (most GETs): nothing to wrap.
    boolean hasBody = declared > 0 || (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    IncomingBody body = !hasBody ? null
        : new IncomingBody(Content.Source.asInputStream(request), declared, maxBodyBytes, bodyMemory);
    answer = WorkerRequests.call(runtime, method, path, started, () -> HttpMessages.toRequest(request, body));
    write(answer, request, response, body == null ? callback : Callback.from(callback, body::release));
    return true;
  }

  /** Other upgrades (Java's HTTP client offers {@code h2c}) are ignored, as Jetty ignores them. */
  private static boolean isWebSocketUpgrade(org.eclipse.jetty.server.Request request) {
    HttpField upgrade = request.getHeaders().getField(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.contains("websocket");
  }

  /** Ends the streamed responses still being sent (the server is stopping). */
  void endStreams() {
    sender.endAll();
  }

  private void write(Response answer, org.eclipse.jetty.server.Request request,
      org.eclipse.jetty.server.Response response, Callback callback) {
    response.setStatus(answer.status());
    HttpFields.Mutable out = response.getHeaders();
    HttpMessages.headers(answer, out::add);
    sender.send(answer, request.getMethod().equals("HEAD"), request, response, callback);
  }
}
