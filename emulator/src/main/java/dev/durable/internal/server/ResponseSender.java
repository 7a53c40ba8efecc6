package dev.durable.internal.server;

import dev.durable.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a worker's response body through Jetty. Bytes in memory go out in one write (with their
 * length); a streamed body is pumped on a virtual thread of its own: each part read is written
 * and flushed as it comes (chunked), a write waits until the client has taken the previous one
 * (so a slow client slows the producer down), and a write that fails because the client went
 * away closes the body's stream, which cancels its producer. When the server stops, the streams
 * still being sent are ended ({@link #endAll()}), so a stop does not wait on a stream that may
 * never end. A server-sent event stream that stays quiet gets a comment line ({@code :}) each
 * heartbeat: a client that went away is noticed then, not only at the stream's next event (an
 * object is kept in memory while it streams), and proxies do not time the stream out.
 */
final class ResponseSender {
  private static final Logger log = LoggerFactory.getLogger(ResponseSender.class);
  /** Bodies in memory up to this size go out in one write; larger ones in parts. */
  private static final int ONE_WRITE = 1 << 20;
  private static final int PART = 16 * 1024;

  private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Set<InputStream> sending = ConcurrentHashMap.newKeySet();
  private final Duration heartbeat;

  /** A sender whose quiet event streams get a comment line every {@code heartbeat}. */
  ResponseSender(Duration heartbeat) {
    this.heartbeat = heartbeat;
  }

  /**
   * Sends {@code answer}'s body (status and headers are set); completes {@code callback} when
   * done. {@code head}: the request was HEAD, so no body goes out (a streamed one is cancelled,
   * one in memory still gives the answer its length).
   */
  void send(Response answer, boolean head, org.eclipse.jetty.server.Request request,
      org.eclipse.jetty.server.Response response, Callback callback) {
    InputStream body;
    try {
      body = answer.bodyStream();
    } catch (IllegalStateException e) { // a stream the worker already read
      log.error("{} {}: the response's streamed body was already read: {}", request.getMethod(),
          request.getHttpURI().getPath(), e.getMessage());
      callback.failed(e);
      return;
    }
    if (head && answer.streamed()) { // bytes in memory still give HEAD their length; Jetty drops them
      closeQuietly(body);
      response.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    if (!answer.streamed()) {
      try {
        int length = body.available(); // bytes in memory: the whole length, and reads cannot fail
        if (length <= ONE_WRITE) {
          response.write(true, ByteBuffer.wrap(body.readAllBytes()), callback);
          return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      } catch (IOException e) {
        throw new IllegalStateException("A body in memory could not be read", e);
      }
    } else {
      // A stream may stay quiet for long (events every minute): Jetty's idle timeout must not cut
      // it. The listener answers whether the timeout fails the request: never, while streaming.
      request.addIdleTimeoutListener(timeout -> false);
    }
    boolean events = answer.header("content-type").map(t -> t.startsWith("text/event-stream")).orElse(false);
    Thread.ofVirtual().name("response-body").start(() -> pump(body, events, request, response, callback));
  }

  /** Ends every streamed body being sent: its producer is cancelled, its client sees the end. */
  void endAll() {
    sending.forEach(ResponseSender::closeQuietly);
  }

  private void pump(InputStream body, boolean events, org.eclipse.jetty.server.Request request,
      org.eclipse.jetty.server.Response response, Callback callback) {
    byte[] part = new byte[PART];
    // Jetty's blocking stream: a write returns once Jetty has taken the bytes, flush sends them.
    Writes out = new Writes(Content.Sink.asOutputStream(response));
    sending.add(body);
    Thread beat = events ? Thread.ofVirtual().name("event-stream-heartbeat").start(() -> beat(out, body)) : null;
    try (body) {
      // Status and headers go out now: a client waiting for the first event sees the answer begin.
      out.write(part, 0, 0);
      while (true) {
        int n;
        try {
          n = body.read(part);
        } catch (IOException | RuntimeException e) {
          log.warn("{} {}: the response body failed after it began; the client gets it cut off: {}",
              request.getMethod(), request.getHttpURI().getPath(), e.getMessage());
          callback.failed(e);
          return;
        }
        if (n < 0) {
          break;
        }
        if (n > 0) {
          out.write(part, 0, n);
        }
      }
      out.close();
      callback.succeeded();
    } catch (IOException e) { // the client went away: closing the body (try) cancels its producer
      log.debug("{} {}: the client went away while the body was sent: {}", request.getMethod(),
          request.getHttpURI().getPath(), e.getMessage());
      callback.failed(e);
    } finally {
      sending.remove(body);
      if (beat != null) {
        beat.interrupt();
      }
    }
  }

  /** Sends a comment line whenever the stream was quiet for a heartbeat, until it ends. */
  private void beat(Writes out, InputStream body) {
    try {
      while (true) {
        long quiet = System.nanoTime() - out.lastWrite();
        if (quiet < heartbeat.toNanos()) {
          Thread.sleep(Duration.ofNanos(heartbeat.toNanos() - quiet));
        } else {
          out.write(COMMENT, 0, COMMENT.length);
        }
      }
    } catch (InterruptedException e) {
      // The stream ended.
    } catch (IOException e) { // the client went away: closing the body ends the stream, and tells its listeners
      closeQuietly(body);
    }
  }

  /** The response's stream, written (and flushed) by the body's pump and its heartbeat in turn. */
  private static final class Writes {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWrite = System.nanoTime();

    Writes(OutputStream out) {
      this.out = out;
    }

    void write(byte[] bytes, int off, int len) throws IOException {
      lock.lock();
      try {
        out.write(bytes, off, len);
        out.flush();
        lastWrite = System.nanoTime();
      } finally {
        lock.unlock();
      }
    }

    long lastWrite() {
      return lastWrite;
    }

    void close() throws IOException {
      lock.lock();
      try {
        out.close();
      } finally {
        lock.unlock();
      }
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      log.debug("Closing an unsent body failed: {}", e.getMessage());
    }
  }
}
