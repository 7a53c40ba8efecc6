package dev.durable.explorer.studio;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Another build of an explorer web UI, served from a directory at {@code /cdn-cgi/explorer}
 * ({@code durable dev --explorer-ui DIR}), as Miniflare serves its Local Explorer: a file when
 * the path names one inside the directory, else {@code index.html}, so the UI's own router
 * handles deep links such as {@code /cdn-cgi/explorer/do/Counter}. Files are read on each
 * request: a rebuilt UI shows on the next reload.
 */
final class UiDirectory {
  /** Content types by file extension (the studio's own files use them too). */
  static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private final Path root;

  /** @param directory a directory holding {@code index.html} */
  UiDirectory(Path directory) {
    try {
      this.root = directory.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("The explorer UI directory " + directory + " cannot be read", e);
    }
    if (!Files.isRegularFile(root.resolve("index.html"))) {
      throw new IllegalArgumentException("The explorer UI directory " + root + " has no index.html");
    }
  }

  /** Answers a GET or HEAD under the UI's path; {@code rest} is the part after it. */
  void send(Context ctx, String rest) throws IOException {
    Path file = file(rest);
    String name = file.getFileName().toString();
    String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT),
        "application/octet-stream");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(type).result(Files.readAllBytes(file));
  }

  /** The file the path names inside the directory, or index.html (never a file outside it). */
  private Path file(String rest) throws IOException {
    Path index = root.resolve("index.html");
    if (rest.isEmpty() || rest.equals("/") || rest.contains("\\") || rest.contains("\0")) {
      return index;
    }
    Path candidate = root.resolve(rest.substring(1)).normalize();
    if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
      return index;
    }
    return candidate.toRealPath().startsWith(root) ? candidate : index;
  }
}
