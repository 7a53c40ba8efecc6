package dev.durable.explorer;

import dev.durable.DurableObjectException;
import dev.durable.SqlException;
import dev.durable.internal.server.DevServer;
import dev.durable.runtime.DurableRuntime;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explorer API behind its base paths: checks who is asking, finds the route, runs it and
 * writes the answer in Cloudflare's envelope (errors included, for every path under the base).
 */
final class Explorer {
  /** The base path, as Cloudflare's Local Explorer serves it. */
  static final String BASE = "/cdn-cgi/explorer/api";
  /** The base path newer Miniflare releases moved to; it answers the same. */
  static final String LOCAL_BASE = "/cdn-cgi/local/explorer/api";
  /** The largest request body the explorer reads. */
  static final long MAX_BODY_BYTES = 8L * 1024 * 1024;
  /** The largest answer sent at once: more is a 400 that says how to ask for less. */
  static final int MAX_ANSWER_BYTES = 10 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(Explorer.class);

  private final RouteTable routes = new RouteTable();
  private final RequestGuard guard;
  private final long maxBodyBytes;

  Explorer(DurableRuntime runtime, DevServer.Options options) {
    this.guard = new RequestGuard(options.host(), options.explorerToken());
    this.maxBodyBytes = Math.min(MAX_BODY_BYTES, options.maxBodyBytes());
    ObjectAccess access = new ObjectAccess(runtime);
    new NamespaceRoutes(access).register(routes);
    new ObjectRoutes(access).register(routes);
    new TableRoutes(access).register(routes);
    new RowRoutes(access).register(routes);
    new KeyValueRoutes(access).register(routes);
    new AlarmRoutes(access).register(routes);
    new ExportRoutes(access).register(routes);
    new LocalRoutes(access).register(routes);
    OpenApiDocument openApi = new OpenApiDocument(routes, maxBodyBytes, guard.requiresToken());
    routes.add("GET", "", call -> new Reply.Json(200, openApi.document()))
        .doc("Explorer", "openApiDocument", "This OpenAPI 3 document")
        .download("application/json");
  }

  RouteTable routes() {
    return routes;
  }

  /** Answers one request whose path starts with {@code base}. */
  void handle(Context ctx, String base) {
    String rest = ctx.path().substring(base.length());
    try {
      ctx.header("Cache-Control", "no-store"); // live data: never from a cache
      String origin = guard.checkSource(ctx);
      RequestGuard.addCorsHeaders(ctx, origin);
      if (ctx.method().name().equals("OPTIONS")) {
        Set<String> methods = routes.methodsFor(rest);
        ctx.header("Allow", String.join(", ", methods.isEmpty() ? List.of("OPTIONS") : methods));
        ctx.status(204);
        return;
      }
      guard.checkToken(ctx);
      RouteTable.Match match = routes.match(ctx.method().name(), rest);
      ApiCall call = new ApiCall(ctx, match.parameters(), maxBodyBytes);
      long declared = ctx.req().getContentLengthLong();
      if (declared > maxBodyBytes) {
        call.discardBody();
        throw ApiCall.tooLarge(maxBodyBytes);
      }
      guard.checkContentType(ctx, call.hasBody());
      write(ctx, match.route().handler.handle(call));
    } catch (ApiException e) {
      if (e.code() == ApiException.METHOD_NOT_ALLOWED) {
        ctx.header("Allow", String.join(", ", routes.methodsFor(rest)));
      }
      fail(ctx, e.status(), e.code(), e.getMessage());
    } catch (SqlException | IllegalArgumentException e) {
      fail(ctx, 400, ApiException.INVALID_INPUT, e.getMessage());
    } catch (Exception e) {
      log.error("Explorer request {} {} failed", ctx.method(), ctx.path(), e);
      fail(ctx, 500, ApiException.INTERNAL, e instanceof DurableObjectException ? e.getMessage()
          : "Internal error: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static void write(Context ctx, Reply reply) {
    switch (reply) {
      case Reply.Json json -> {
        byte[] body = Envelope.bytes(json.body(), MAX_ANSWER_BYTES);
        ctx.status(json.status());
        ctx.contentType("application/json");
        ctx.result(body);
      }
      case Reply.Stream stream -> writeStream(ctx, stream);
      case Reply.Download d -> {
        ctx.status(200);
        ctx.contentType(d.contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
        try {
          ctx.header("Content-Length", Long.toString(Files.size(d.file())));
          ctx.result(new DeletingInputStream(d.file()));
        } catch (IOException e) {
          deleteQuietly(d.file());
          throw new UncheckedIOException("Could not send the export: " + e.getMessage(), e);
        }
      }
    }
  }

  /** The head line, then each part of the body flushed as it arrives. */
  private static void writeStream(Context ctx, Reply.Stream stream) {
    ctx.status(200);
    ctx.contentType(Reply.Stream.CONTENT_TYPE);
    byte[] part = new byte[16 * 1024];
    try (InputStream body = stream.body()) {
      java.io.OutputStream out = ctx.res().getOutputStream();
      out.write((Envelope.NODES.objectNode().set("head", stream.head()).toString() + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      for (int n; (n = body.read(part)) >= 0; ) {
        out.write(part, 0, n);
        out.flush();
      }
    } catch (IOException e) { // the client went away, or the object's producer failed: the answer is cut off
      log.debug("A streamed fetch answer ended early: {}", e.getMessage());
    }
  }

  private static void fail(Context ctx, int status, int code, String message) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Envelope.bytes(Envelope.failure(code, message == null ? "(no message)" : message)));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete the temporary export {}: {}", file, e.getMessage());
    }
  }

  /** Streams a temporary export and deletes it once sent (or once the client went away). */
  private static final class DeletingInputStream extends java.io.FilterInputStream {
    private final Path file;

    DeletingInputStream(Path file) throws IOException {
      super(Files.newInputStream(file));
      this.file = file;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        deleteQuietly(file);
      }
    }
  }
}
