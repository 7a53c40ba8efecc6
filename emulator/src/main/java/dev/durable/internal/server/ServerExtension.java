package dev.durable.internal.server;

import dev.durable.runtime.DurableRuntime;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * A feature the dev server mounts without being compiled against it (the explorer API, the data
 * studio). Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.durable.internal.server.ServerExtension} and put its jar on the classpath.
 *
 * <p>Routes an extension adds are registered before the worker's catch-all route, so they win
 * for the paths they claim (which should lie under {@code /cdn-cgi/}).
 */
public interface ServerExtension {
  /** Adds routes and handlers to the server being built. */
  void configure(JavalinConfig config, DurableRuntime runtime, DevServer.Options options);

  /** Lines for the start-up banner, e.g. the URL the extension serves, given the server's base URL. */
  default List<String> bannerLines(String baseUrl) {
    return List.of();
  }
}
