package dev.durable.explorer;

import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.ServerExtension;
import dev.durable.runtime.DurableRuntime;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Mounts the explorer API on the dev server at {@code /cdn-cgi/explorer/api} (and at
 * {@code /cdn-cgi/local/explorer/api}, the path newer Miniflare releases use). Found by the dev
 * server through {@link java.util.ServiceLoader}: putting this module on the classpath is all it
 * takes.
 */
public final class ExplorerExtension implements ServerExtension {
  private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST,
      HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

  /** Used by {@link java.util.ServiceLoader}. */
  public ExplorerExtension() {}

  @Override
  public void configure(JavalinConfig config, DurableRuntime runtime, DevServer.Options options) {
    Explorer explorer = new Explorer(runtime, options);
    for (String base : List.of(Explorer.BASE, Explorer.LOCAL_BASE)) {
      for (HandlerType method : METHODS) {
        config.routes.addHttpHandler(method, base, ctx -> explorer.handle(ctx, base));
        config.routes.addHttpHandler(method, base + "/<rest>", ctx -> explorer.handle(ctx, base));
      }
    }
  }

  @Override
  public List<String> bannerLines(String baseUrl) {
    return List.of("Explorer API: " + baseUrl + Explorer.BASE);
  }
}
