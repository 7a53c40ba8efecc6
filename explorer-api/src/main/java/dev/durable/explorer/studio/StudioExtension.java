package dev.durable.explorer.studio;

import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.ServerExtension;
import dev.durable.runtime.DurableRuntime;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Serves the data studio at {@code /cdn-cgi/explorer}: the page, and its scripts and styles under
 * {@code /cdn-cgi/explorer/studio/}; or, when the server's options name a directory, another
 * build of an explorer UI from it (Cloudflare's Local Explorer, for one). The page reads and edits objects only through the explorer
 * API at {@code /cdn-cgi/explorer/api}, whose guards (loopback only, JSON writes, the optional
 * token) apply to it as to any client. Found by the dev server through
 * {@link java.util.ServiceLoader}.
 */
public final class StudioExtension implements ServerExtension {
  /** Where the page is served. */
  public static final String PATH = "/cdn-cgi/explorer";
  private static final String ASSETS = PATH + "/studio/";
  /**
   * Scripts, styles and requests only from this server, and no framing: a page elsewhere can
   * neither inject code into the studio nor overlay it to trick a click on "Delete".
   */
  private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
      + " form-action 'none'; object-src 'none'";

  private final StudioAssets assets = new StudioAssets("dev/durable/explorer/studio");

  /** Used by {@link java.util.ServiceLoader}. */
  public StudioExtension() {}

  @Override
  public void configure(JavalinConfig config, DurableRuntime runtime, DevServer.Options options) {
    if (options.explorerUi() != null) {
      UiDirectory ui = new UiDirectory(options.explorerUi());
      for (HandlerType method : List.of(HandlerType.GET, HandlerType.HEAD)) {
        config.routes.addHttpHandler(method, PATH, ctx -> ui.send(ctx, ""));
        config.routes.addHttpHandler(method, PATH + "/<rest>",
            ctx -> ui.send(ctx, ctx.path().substring(PATH.length())));
      }
      return;
    }
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.HEAD)) {
      config.routes.addHttpHandler(method, PATH, ctx -> send(ctx, "index.html"));
      config.routes.addHttpHandler(method, ASSETS + "{file}", ctx -> send(ctx, ctx.pathParam("file")));
    }
  }

  @Override
  public List<String> bannerLines(String baseUrl) {
    return List.of("Data studio:  " + baseUrl + PATH);
  }

  private void send(Context ctx, String name) {
    var asset = assets.find(name);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    if (asset.isEmpty()) {
      ctx.status(404).contentType("text/plain; charset=utf-8")
          .result("Not found: " + ctx.path() + " is not a file of the data studio; open " + PATH);
      return;
    }
    StudioAssets.Asset a = asset.get();
    ctx.header("Content-Security-Policy", POLICY);
    // Revalidate every time: a rebuilt jar must show at once, and an unchanged file costs a 304.
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", a.etag());
    if (a.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(a.contentType()).result(a.bytes());
  }
}
