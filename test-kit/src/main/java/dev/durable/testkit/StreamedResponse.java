package dev.durable.testkit;

import dev.durable.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a streamed {@link Response} as a client would, each read with a timeout, so a test fails
 * with a clear message instead of hanging on a stream that never ends.
 *
 * <pre>{@code
 * StreamedResponse events = StreamedResponse.of(dos.worker().fetch("/runs/a/events"));
 * dos.runAlarm(run);
 * assertThat(events.nextEvent(Duration.ofSeconds(5)).event()).isEqualTo("step");
 * String rest = events.collect(Duration.ofSeconds(5));   // up to the end of the stream
 * }</pre>
 *
 * Reading starts at once, on a thread of its own; {@link #close()} goes away as a client would
 * (the producer's next write fails, an {@code EventStream} closes).
 */
public final class StreamedResponse implements AutoCloseable {
  private static final Object END = new Object();

  private final InputStream body;
  private final BlockingQueue<Object> parts = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean ended;

  private StreamedResponse(InputStream body) {
    this.body = body;
    Thread.ofVirtual().name("test-stream-reader").start(this::readAll);
  }

  /** Starts reading the response's body (a streamed one, or bytes). */
  public static StreamedResponse of(Response response) {
    if (response == null) {
      throw new IllegalArgumentException("StreamedResponse.of() needs a response, got null");
    }
    return new StreamedResponse(response.bodyStream());
  }

  /**
   * The rest of the body as UTF-8 text, once the stream has ended.
   *
   * @throws AssertionError when it does not end within {@code timeout}, showing what came so far
   */
  public String collect(Duration timeout) {
    return new String(collectBytes(timeout), StandardCharsets.UTF_8);
  }

  /** The rest of the body as bytes, once the stream has ended; see {@link #collect}. */
  public byte[] collectBytes(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended) {
      take(deadline, timeout, "the end of the stream");
    }
    byte[] all = pending.toByteArray();
    pending.reset();
    return all;
  }

  /**
   * The next server-sent event ({@code text/event-stream} framing: {@code event:}, {@code data:},
   * {@code id:} lines up to a blank line; comments skipped).
   *
   * @throws AssertionError when no whole event comes within {@code timeout}, or the stream ends
   *     first
   */
  public ServerSentEvent nextEvent(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      byte[] bytes = pending.toByteArray();
      int end = eventEnd(bytes);
      if (end >= 0) {
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
        ServerSentEvent event = parse(new String(bytes, 0, end, StandardCharsets.UTF_8));
        if (event != null) {
          return event;
        }
        continue;
      }
      if (ended) {
        throw new AssertionError("The stream ended before another event; what was left: '"
            + new String(bytes, StandardCharsets.UTF_8) + "'");
      }
      take(deadline, timeout, "a server-sent event");
    }
  }

  /**
   * Waits until the stream ends, with nothing more in it.
   *
   * @throws AssertionError when more comes, or it does not end within {@code timeout}
   */
  public void assertEnds(Duration timeout) {
    String rest = collect(timeout);
    if (!rest.isEmpty()) {
      throw new AssertionError("Expected the stream to end, but it still sent: '" + rest + "'");
    }
  }

  /** Goes away as a client would: closes the body stream. */
  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      throw new IllegalStateException("Closing the response stream failed: " + e.getMessage(), e);
    }
  }

  private void take(long deadline, Duration timeout, String what) {
    Object part;
    try {
      part = parts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for " + what, e);
    }
    if (part == null) {
      throw new AssertionError("Expected " + what + " within " + timeout + ", but none came; received so far: '"
          + pending.toString(StandardCharsets.UTF_8) + "'");
    }
    if (part == END) {
      ended = true;
    } else if (part instanceof IOException failure) {
      ended = true;
      throw new AssertionError("The stream failed: " + failure.getMessage() + "; received before: '"
          + pending.toString(StandardCharsets.UTF_8) + "'", failure);
    } else {
      pending.writeBytes((byte[]) part);
    }
  }

  private void readAll() {
    byte[] buffer = new byte[16 * 1024];
    try (body) {
      for (int n; (n = body.read(buffer)) >= 0; ) {
        parts.add(Arrays.copyOf(buffer, n));
      }
      parts.add(END);
    } catch (IOException e) {
      parts.add(e);
    }
  }

  /** Where the first event ends (after its blank line), or -1. */
  private static int eventEnd(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char a byte
    int lf = text.indexOf("\n\n");
    int crlf = text.indexOf("\r\n\r\n");
    if (lf >= 0 && (crlf < 0 || lf < crlf)) {
      return lf + 2;
    }
    return crlf < 0 ? -1 : crlf + 4;
  }

  /** An event from its lines, or null when it held only comments. */
  private static ServerSentEvent parse(String block) {
    String event = null;
    String id = null;
    StringBuilder data = null;
    for (String line : block.split("\r\n|\r|\n")) {
      if (line.isEmpty() || line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> event = value;
        case "id" -> id = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { } // retry: and unknown fields do not change the event
      }
    }
    if (data == null && event == null && id == null) {
      return null;
    }
    return new ServerSentEvent(event == null ? "message" : event, data == null ? "" : data.toString(), id);
  }
}
