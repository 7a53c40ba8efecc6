package dev.durable.internal.body;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a body's producer on a virtual thread of its own, writing into a bounded {@link ChunkQueue}
 * that the reader (the dev server sending the response) drains: a write waits while the queue is
 * full, so a slow client slows the producer down instead of growing memory, and once the reader
 * is gone the producer's next write fails with {@link StreamCancelledException}.
 */
public final class BodyProducer {
  private static final Logger log = LoggerFactory.getLogger(BodyProducer.class);

  /** What writes the body. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the body to {@code out}; returning ends it. */
    void writeTo(OutputStream out) throws Exception;
  }

  private BodyProducer() {}

  /** Starts the producer now; the stream returned is the reader's end, holding at most {@code capacity} bytes. */
  public static InputStream start(Writer writer, int capacity) {
    ChunkQueue queue = new ChunkQueue(capacity);
    Thread.ofVirtual().name("body-producer").start(() -> run(writer, queue));
    return queue.reader();
  }

  private static void run(Writer writer, ChunkQueue queue) {
    // Not try-with-resources: closing ends the body cleanly, which only a producer that returned may do.
    QueueOutput out = new QueueOutput(queue);
    try {
      writer.writeTo(out);
      out.close();
    } catch (StreamCancelledException e) {
      log.debug("A streamed body ended early: {}", e.getMessage());
    } catch (Exception | Error e) {
      log.warn("The producer of a streamed body failed; the client gets a cut-off body", e);
      queue.fail(e);
    }
  }

  /** The producer's end: each write goes to the reader as soon as it can take it. */
  private static final class QueueOutput extends OutputStream {
    private final ChunkQueue queue;
    private boolean closed;

    QueueOutput(ChunkQueue queue) {
      this.queue = queue;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new StreamCancelledException("The body's stream is already closed");
      }
      // Pieces no larger than the queue, so a large write still waits for room piece by piece.
      for (int at = off; at < off + len; at += queue.capacity()) {
        queue.putWaiting(Arrays.copyOfRange(b, at, Math.min(off + len, at + queue.capacity())));
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        queue.finish();
      }
    }
  }
}
