package dev.durable;

import dev.durable.internal.body.ChunkQueue;
import dev.durable.internal.gate.OutputGate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-sent events ({@code text/event-stream}) pushed to one client: return it with
 * {@link Response#events(EventStream)}, keep it, and {@link #send} events from later events of the
 * object (an alarm, a schedule, another request) until you {@link #close()} it.
 *
 * <pre>{@code
 * EventStream stream = EventStream.create();
 * subscribers.add(stream);                          // a field of the object
 * return Response.events(stream);
 * // later, in alarm(): one event per step, then the end
 * subscribers.forEach(s -> s.send("step", json));
 * subscribers.forEach(s -> { s.send("done", ""); s.close(); });
 * }</pre>
 *
 * Inside an object's event, what {@code send} pushes is released to the client only after the
 * event's writes are committed (the output gate, as for WebSocket messages). At most
 * {@code maxBufferedBytes} wait for a client that reads slowly; a client further behind is
 * dropped (the stream closes, {@code send} answers false, the close listeners run), so a client
 * that never reads cannot grow memory without limit.
 */
public final class EventStream {
  /** The default bound on bytes waiting for the client: 1 MiB. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;

  private final ChunkQueue queue;
  private final AtomicBoolean read = new AtomicBoolean();
  private volatile boolean closed;

  private EventStream(int maxBufferedBytes) {
    this.queue = new ChunkQueue(maxBufferedBytes);
  }

  /** A stream holding at most {@link #DEFAULT_MAX_BUFFERED_BYTES} for a slow client. */
  public static EventStream create() {
    return new EventStream(DEFAULT_MAX_BUFFERED_BYTES);
  }

  /** A stream holding at most {@code maxBufferedBytes} for a slow client (at least 1). */
  public static EventStream create(int maxBufferedBytes) {
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("maxBufferedBytes must be at least 1, got " + maxBufferedBytes);
    }
    return new EventStream(maxBufferedBytes);
  }

  /** Sends an event of type {@code message} with this data; false when the stream is closed. */
  public boolean send(String data) {
    return send(null, data, null);
  }

  /** Sends an event of the given type ({@code event:}) and data; false when the stream is closed. */
  public boolean send(String event, String data) {
    return send(event, data, null);
  }

  /**
   * Sends one event: {@code id:} when {@code id} is not null, {@code event:} when {@code event} is
   * not null, and one {@code data:} line per line of {@code data}. Returns false, sending nothing,
   * when the stream is closed: by {@link #close()}, or because the client went away or fell too
   * far behind.
   *
   * @throws IllegalArgumentException when the event type or id holds a line break (or the id a
   *     NUL), which would break the framing
   */
  public boolean send(String event, String data, String id) {
    byte[] frame = frame(event, data, id);
    if (!isOpen()) {
      return false;
    }
    OutputGate.release(() -> queue.offer(frame));
    return true;
  }

  /** Whether events can still be sent: not closed, and the client still reads. */
  public boolean isOpen() {
    return !closed && queue.isOpen();
  }

  /**
   * Runs {@code listener} once when the stream ends: closed, the client went away, or the client
   * fell too far behind. It runs on the thread that noticed, outside the object's events, so it
   * should only flag or remove (e.g. from a concurrent set); it runs at once if the stream already
   * ended.
   */
  public void onClose(Runnable listener) {
    if (listener == null) {
      throw new IllegalArgumentException("onClose() needs a listener, got null");
    }
    queue.onClose(listener);
  }

  /**
   * Ends the stream once the events sent before are delivered (inside an event, after its writes
   * are committed). Later {@code send}s answer false.
   */
  public void close() {
    closed = true;
    OutputGate.release(queue::finish);
  }

  /** The client's end, for the one response that sends the stream. */
  InputStream open() {
    if (!read.compareAndSet(false, true)) {
      throw new IllegalStateException("An EventStream is sent by one response only; make a stream per client");
    }
    return queue.reader();
  }

  private static byte[] frame(String event, String data, String id) {
    StringBuilder b = new StringBuilder();
    if (id != null) {
      if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("An event id must not hold a line break or NUL, got '" + id + "'");
      }
      b.append("id: ").append(id).append('\n');
    }
    if (event != null) {
      if (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("An event type must not hold a line break, got '" + event + "'");
      }
      b.append("event: ").append(event).append('\n');
    }
    for (String line : (data == null ? "" : data).split("\r\n|\r|\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
