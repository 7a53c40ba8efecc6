package dev.durable.explorer.studio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cloudflare's Local Explorer web UI as the npm package {@code miniflare} ships it
 * ({@code dist/local-explorer-ui}), fetched once with {@code npm pack} (the package's tarball
 * only, checked against the registry's integrity, no install scripts) into {@code target/}. Needs
 * npm and the npm registry the first time: without them it fails saying so, it never skips.
 */
final class MiniflareExplorerUi {
  /** Pinned: the UI's texts and routes the test looks for are this release's. */
  static final String VERSION = "4.20260730.0";
  private static final Path WORK = Path.of("target", "miniflare-" + VERSION);

  private MiniflareExplorerUi() {}

  /** The UI's directory (holding index.html and assets/), fetching the package when missing. */
  static synchronized Path directory() throws IOException, InterruptedException {
    Path ui = WORK.resolve("package/dist/local-explorer-ui");
    if (Files.isRegularFile(ui.resolve("index.html"))) {
      return ui;
    }
    Files.createDirectories(WORK);
    String tarball = run(List.of("npm", "pack", "miniflare@" + VERSION, "--silent"), "npm pack").strip();
    String[] lines = tarball.split("\n");
    Path file = WORK.resolve(lines[lines.length - 1].strip());
    run(List.of("tar", "-xzf", file.getFileName().toString(), "package/dist/local-explorer-ui"), "tar");
    Files.delete(file);
    if (!Files.isRegularFile(ui.resolve("index.html"))) {
      throw new AssertionError("miniflare@" + VERSION + " has no dist/local-explorer-ui/index.html");
    }
    return ui;
  }

  private static String run(List<String> command, String what) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + command.get(0) + " to fetch Cloudflare's explorer UI (miniflare@"
          + VERSION + " from npm); this test needs Node.js with npm on the PATH: " + e.getMessage(), e);
    }
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(what + " could not fetch Cloudflare's explorer UI (miniflare@" + VERSION
          + ") into " + WORK + "; this test needs the npm registry once. It said:\n" + output);
    }
    return output;
  }
}
