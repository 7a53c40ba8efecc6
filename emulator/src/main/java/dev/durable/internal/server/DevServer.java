package dev.durable.internal.server;

import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.internal.body.BodyMemory;
import dev.durable.runtime.DurableRuntime;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsHandlerType;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketExtensionRegistry;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of a runtime: every request outside {@code /cdn-cgi/} goes to the worker's
 * {@code fetch}, with status, headers and body (binary too) passed through unchanged.
 *
 * <pre>{@code
 * try (DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0))) {
 *   System.out.println(server.url());
 * }
 * }</pre>
 */
public final class DevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevServer.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_WEBSOCKET_MESSAGE = 32L * 1024 * 1024;
  private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST,
      HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

  /**
   * Server options.
   *
   * @param host the address to bind (loopback by default)
   * @param port the port; 0 picks a free one
   * @param maxBodyBytes the largest request body accepted; larger ones get 413
   * @param explorerToken when not null, every explorer request must carry it (for a server
   *     bound to a non-loopback host)
   * @param explorerUi when not null, a directory holding another build of an explorer web UI
   *     ({@code index.html} and its assets) to serve at {@code /cdn-cgi/explorer} instead of ours
   * @param webSocketCompressionMin WebSocket messages this large (bytes) or larger are
   *     compressed when the client offered permessage-deflate; smaller ones are sent as they
   *     are; {@link #COMPRESSION_OFF} does not negotiate compression at all
   * @param eventStreamHeartbeat how long a server-sent event stream may stay quiet before a
   *     comment line goes out (so a client that went away is noticed, and proxies keep it open)
   */
  public record Options(String host, int port, long maxBodyBytes, String explorerToken, Path explorerUi,
      int webSocketCompressionMin, Duration eventStreamHeartbeat) {
    /** The default WebSocket compression threshold: 1 KiB, as the {@code ws} library's. */
    public static final int DEFAULT_COMPRESSION_MIN = 1024;
    /** {@link #webSocketCompressionMin} that turns WebSocket compression off. */
    public static final int COMPRESSION_OFF = -1;
    /** The default {@link #eventStreamHeartbeat}: 15 seconds. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    /** Checks the values. */
    public Options {
      if (webSocketCompressionMin < COMPRESSION_OFF) {
        throw new IllegalArgumentException("WebSocket compression threshold must be 0 or more bytes"
            + " (or COMPRESSION_OFF), got " + webSocketCompressionMin);
      }
      if (eventStreamHeartbeat == null || eventStreamHeartbeat.isNegative() || eventStreamHeartbeat.isZero()) {
        throw new IllegalArgumentException("The event stream heartbeat must be a positive duration, got "
            + eventStreamHeartbeat);
      }
    }

    /** Options with our explorer UI and the default WebSocket compression. */
    public Options(String host, int port, long maxBodyBytes, String explorerToken) {
      this(host, port, maxBodyBytes, explorerToken, null, DEFAULT_COMPRESSION_MIN, DEFAULT_HEARTBEAT);
    }

    /** 127.0.0.1:8787, bodies up to 100 MB, no explorer token. */
    public static Options defaults() {
      return new Options("127.0.0.1", 8787, 100L * 1024 * 1024, null);
    }

    /** The same options on another port. */
    public Options port(int port) {
      return new Options(host, port, maxBodyBytes, explorerToken, explorerUi, webSocketCompressionMin,
          eventStreamHeartbeat);
    }

    /** The same options on another host. */
    public Options host(String host) {
      return new Options(host, port, maxBodyBytes, explorerToken, explorerUi, webSocketCompressionMin,
          eventStreamHeartbeat);
    }

    /** The same options with a token the explorer requires. */
    public Options explorerToken(String token) {
      return new Options(host, port, maxBodyBytes, token, explorerUi, webSocketCompressionMin,
          eventStreamHeartbeat);
    }

    /** The same options serving the explorer UI in this directory (null: ours). */
    public Options explorerUi(Path directory) {
      return new Options(host, port, maxBodyBytes, explorerToken, directory, webSocketCompressionMin,
          eventStreamHeartbeat);
    }

    /** The same options compressing WebSocket messages of at least this many bytes, or {@link #COMPRESSION_OFF}. */
    public Options webSocketCompressionMin(int bytes) {
      return new Options(host, port, maxBodyBytes, explorerToken, explorerUi, bytes,
          eventStreamHeartbeat);
    }

    /** The same options with another heartbeat for quiet server-sent event streams. */
    public Options eventStreamHeartbeat(Duration interval) {
      return new Options(host, port, maxBodyBytes, explorerToken, explorerUi, webSocketCompressionMin,
          interval);
    }
  }

  private final DurableRuntime runtime;
  private final Javalin app;
  private final String host;
  private final List<ServerExtension> extensions;
  private final ToolGuard toolGuard;
  private final WorkerHandler workerHandler;

  private DevServer(DurableRuntime runtime, Options options) {
    this.runtime = runtime;
    this.host = options.host();
    this.toolGuard = new ToolGuard(options.host(), options.explorerToken());
    this.workerHandler = new WorkerHandler(runtime, options.maxBodyBytes(), BodyMemory.ofHeap(),
        options.eventStreamHeartbeat());
    this.extensions = ServiceLoader.load(ServerExtension.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    this.app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = options.maxBodyBytes();
      config.jetty.host = options.host();
      config.jetty.port = options.port();
      config.routes.addHttpHandler(HandlerType.GET, "/cdn-cgi/handler/scheduled", this::scheduled);
      for (ServerExtension extension : extensions) {
        extension.configure(config, runtime, options);
      }
      for (String path : List.of("/", "/<path>")) { // "/<path>" does not match the root itself
        for (HandlerType method : METHODS) {
          config.routes.addHttpHandler(method, path, this::toWorker);
        }
        config.routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, path, this::beforeUpgrade);
        config.routes.addWsHandler(WsHandlerType.WEBSOCKET, path, WebSocketBridge::configure);
      }
      config.jetty.modifyServer(server -> {
        // Stopping waits (up to 10 s) for requests in flight instead of cutting them off. The
        // worker's requests take a shorter way than Javalin's (see WorkerHandler); Javalin's
        // servlet is attached behind it. This replaces Javalin's request statistics, which
        // nothing reads.
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        server.setHandler(new GracefulHandler(workerHandler));
      });
      config.jetty.modifyServletContextHandler(context -> {
        // Javalin reads the HTTP session on every WebSocket upgrade, which made one per socket
        // and answered it with Set-Cookie: JSESSIONID and Expires headers no worker set. No
        // cookie, and no session kept in memory.
        SessionHandler sessions = context.getSessionHandler();
        sessions.setUsingCookies(false);
        NullSessionCache cache = new NullSessionCache(sessions);
        cache.setSessionDataStore(new NullSessionDataStore());
        sessions.setSessionCache(cache);
        context.addEventListener(new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarted(LifeCycle event) { // before the connector accepts
            configureCompression(WebSocketServerComponents.getWebSocketComponents(context),
                options.webSocketCompressionMin());
          }
        });
      });
      config.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxTextMessageSize(MAX_WEBSOCKET_MESSAGE);
        factory.setMaxBinaryMessageSize(MAX_WEBSOCKET_MESSAGE);
        // A frame that declares more than a message may hold is refused (1009) from its header:
        // auto-fragmenting would read up to 32 MiB first, or wait a day for a client that stalls.
        factory.setMaxFrameSize(MAX_WEBSOCKET_MESSAGE);
        factory.setAutoFragment(false);
        // Hibernatable sockets idle for hours in a chat room; Cloudflare does not time them out.
        factory.setIdleTimeout(Duration.ofDays(1));
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("{} {} failed", ctx.method(), ctx.path(), e);
        ctx.status(500).contentType("text/plain;charset=UTF-8")
            .result("Internal Server Error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      });
    });
  }

  /** permessage-deflate for messages from the threshold up, or not negotiated at all. */
  private static void configureCompression(WebSocketComponents components, int minBytes) {
    WebSocketExtensionRegistry registry = components.getExtensionRegistry();
    if (minBytes == Options.COMPRESSION_OFF) {
      registry.unregister("permessage-deflate");
      return;
    }
    components.addBean(new LargeMessageDeflate.Threshold(minBytes));
    registry.register("permessage-deflate", LargeMessageDeflate.class);
  }

  /** Starts a server for the runtime. */
  public static DevServer start(DurableRuntime runtime, Options options) {
    DevServer server = new DevServer(runtime, options);
    server.app.start();
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The extensions mounted (found on the classpath). */
  public List<ServerExtension> extensions() {
    return extensions;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8787}. */
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  private void toWorker(Context ctx) {
    if (ctx.path().startsWith("/cdn-cgi/")) {
      ctx.status(404).contentType("text/plain;charset=UTF-8").result("Not found: " + ctx.path());
      return;
    }
    Response response = callWorker(ctx);
    if (response.webSocket().isPresent()) {
      response = Response.status(426, "This route answers WebSocket upgrades only: send Upgrade: websocket");
    }
    write(ctx, response);
  }

  /** Asks the worker first: the upgrade goes ahead only when it answers 101 with a WebSocket. */
  private void beforeUpgrade(Context ctx) {
    Response response = callWorker(ctx);
    if (response.status() == 101 && response.webSocket().isPresent()) {
      ctx.attribute(WebSocketBridge.CLIENT_END, response.webSocket().get());
      ctx.res().setContentType(null); // Javalin's default; the worker set none
      return;
    }
    if (response.status() == 101) {
      response = Response.status(500, "The worker answered 101 without a WebSocket;"
          + " return Response.webSocket(pair.client())");
    }
    write(ctx, response);
    ctx.skipRemainingHandlers();
  }

  private Response callWorker(Context ctx) {
    long started = System.nanoTime();
    String method = ctx.method().name();
    byte[] body;
    try {
      body = ctx.bodyAsBytes();
    } catch (HttpResponseException e) { // the body is over the limit: 413
      Response refused = Response.status(e.getStatus(), e.getMessage());
      WorkerRequests.log(method, ctx.path(), refused, started, null);
      return refused;
    }
    return WorkerRequests.call(runtime, method, ctx.path(), started, () -> HttpMessages.toRequest(
        ServletContextRequest.getServletContextRequest(ctx.req()), body.length == 0 ? null : new ByteArrayInputStream(body)));
  }

  /** Runs the worker's code on demand: guarded as the explorer is. */
  private void scheduled(Context ctx) {
    ToolGuard.Refusal refusal = toolGuard.checkSource(ctx);
    if (refusal == null) {
      refusal = toolGuard.checkToken(ctx);
    }
    if (refusal != null) {
      ctx.status(refusal.status()).contentType("text/plain;charset=UTF-8").result(refusal.message());
      return;
    }
    String cron = ctx.queryParam("cron");
    runtime.scheduled(new ScheduledEvent(runtime.now(), cron == null ? "" : cron));
    ctx.contentType("text/plain;charset=UTF-8").result("Ran the scheduled handler at " + Instant.now());
  }

  private static void write(Context ctx, Response response) {
    ctx.status(response.status());
    HttpMessages.headers(response, (name, value) -> ctx.res().addHeader(name, value));
    if (response.streamed()) {
      ctx.result(response.bodyStream());
    } else {
      ctx.result(response.body());
    }
  }

  /**
   * Stops accepting requests and waits for those in flight; streamed responses still being sent
   * are ended (event streams may never end by themselves). The runtime stays open.
   */
  @Override
  public void close() {
    workerHandler.endStreams();
    app.stop();
  }
}
