package dev.durable.repl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;

/**
 * A console session of the REPL on a JLine terminal over pipes, as a test drives it: keys go in,
 * the screen's text comes out. Needs no TTY, so it runs in CI. Type {@code dumb} reads lines as
 * typed (no key bindings); a type such as {@code ansi} has the editing keys (Tab, Ctrl-P, ...).
 */
final class ConsoleSession implements AutoCloseable {
  /** How long to wait for the REPL to print something before the test fails, saying what it saw. */
  private static final long PATIENCE_SECONDS = 60;

  private final PipedOutputStream keys = new PipedOutputStream();
  private final Screen screen = new Screen();
  private final Terminal terminal;
  private final CompletableFuture<Integer> status;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private int seen;

  ConsoleSession(String type, List<String> args) {
    try {
      PipedInputStream in = new PipedInputStream(keys, 64 * 1024);
      this.terminal = TerminalBuilder.builder().system(false).streams(in, screen).type(type).provider("exec")
          .size(new Size(120, 40)).encoding(StandardCharsets.UTF_8).name("test").build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.status = CompletableFuture.supplyAsync(() -> ReplCommand.run(args.toArray(String[]::new),
        new ByteArrayInputStream(new byte[0]), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), terminal),
        r -> Thread.ofPlatform().daemon().name("repl-console").start(r));
  }

  /** Types keys (a newline is Enter; {@code \u0003} Ctrl-C, {@code \u0004} Ctrl-D, {@code \t} Tab). */
  ConsoleSession type(String text) {
    try {
      keys.write(text.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("The REPL stopped reading: " + e.getMessage() + "\n" + screen, e);
    }
    return this;
  }

  /** Waits until the screen shows {@code text} after what was already seen; returns what came in between. */
  String waitFor(String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (true) {
      String all = screen.text();
      int at = all.indexOf(text, seen);
      if (at >= 0) {
        String between = all.substring(seen, at + text.length());
        seen = at + text.length();
        return between;
      }
      if (status.isDone() || System.nanoTime() > deadline) {
        throw new AssertionError("The console never showed '" + text + "'"
            + (status.isDone() ? " (the REPL ended with status " + status.join() + ")" : "")
            + ". After what was already seen it showed (escapes as ESC):\n"
            + all.substring(seen).replace("\u001b", "ESC")
            + "\n--- stderr ---\n" + err.toString(StandardCharsets.UTF_8));
      }
      screen.awaitMore();
    }
  }

  /** Everything the screen showed so far. */
  String screen() {
    return screen.text();
  }

  /** Waits for the REPL to end; returns its exit status. */
  int exitStatus() {
    try {
      return status.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("The REPL did not end: " + e + "\n" + screen.text(), e);
    }
  }

  @Override
  public void close() {
    try {
      keys.close();
      terminal.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the terminal printed, readable while it is being written. */
  private static final class Screen extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      notifyAll();
    }

    /** The text without carriage returns: line ends as plain newlines. */
    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    synchronized void awaitMore() {
      try {
        wait(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for the console", e);
      }
    }

    @Override
    public String toString() {
      return text();
    }
  }
}
