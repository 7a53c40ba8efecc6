package dev.durable.internal.body;

import dev.durable.internal.gate.Events;
import dev.durable.internal.gate.Turn;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The body of a request or response: bytes in memory, or a stream read once as it arrives. A
 * streamed body read whole ({@link #bytes()}) is read into one array the first time and kept, so
 * {@code text()} after {@code json()} works, and a request forwarded after its worker read it
 * still has its bytes. Made inside an object's event, a streamed body keeps the object in memory
 * from the moment it is read until it ends: an object answering with a stream is not evicted
 * mid-stream.
 */
public final class Body {
  /** The largest array a JVM hands out. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int FIRST_PART = 8192;
  private static final int LARGEST_PART = 1 << 20;

  /** No body. */
  public static final Body EMPTY = ofBytes(new byte[0]);

  private final long length;
  private final boolean streamed;
  private final BodyMemory.Reservation reservation;
  private final Turn owner;
  /** Completes when a streamed body was read to its end or closed (at once for bytes). */
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  // Guarded by this.
  private Supplier<InputStream> source;
  private byte[] bytes;
  private boolean handedOut;

  private Body(byte[] bytes, Supplier<InputStream> source, long length, BodyMemory.Reservation reservation) {
    this.bytes = bytes;
    this.source = source;
    this.length = length;
    this.streamed = source != null;
    this.reservation = reservation;
    this.owner = streamed ? Events.currentTurn() : null;
    if (!streamed) {
      finished.complete(null);
    }
  }

  /** Bytes in memory; the body keeps the array, so the caller must not change it. */
  public static Body ofBytes(byte[] owned) {
    return new Body(owned, null, owned.length, null);
  }

  /**
   * A stream of unknown length; a request body arriving from the network ({@link IncomingBody})
   * brings its declared length and, read whole, takes its size from the server's memory for
   * bodies.
   */
  public static Body ofStream(InputStream in) {
    if (in == null) {
      throw new IllegalArgumentException("body(InputStream) needs a stream, got null");
    }
    if (in instanceof IncomingBody incoming) {
      return new Body(null, () -> in, incoming.declaredLength(), incoming.reservation());
    }
    return new Body(null, () -> in, -1, null);
  }

  /** A stream opened when it is first read: a producer starts then, not before. */
  public static Body ofLazyStream(Supplier<InputStream> open) {
    return new Body(null, open, -1, null);
  }

  /** Whether the body is a stream (read once) rather than bytes in memory. */
  public boolean streamed() {
    return streamed;
  }

  /** The length in bytes, or -1 when it is a stream of unknown length. */
  public synchronized long length() {
    return bytes != null ? bytes.length : length;
  }

  /**
   * The body as a stream: its bytes, or the stream itself the first time. A stream already taken
   * cannot be read again.
   */
  public synchronized InputStream stream() {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    if (source == null) {
      throw new IllegalStateException("The body was already read as a stream; a streamed body can be"
          + " read once (read it with body() or text() to keep its bytes)");
    }
    InputStream in = new Tracked(source.get());
    source = null;
    if (owner != null) {
      owner.keepAliveUntil(finished);
    }
    return in;
  }

  /** The bytes, read whole the first time for a stream. The array is the body's own. */
  public synchronized byte[] bytes() {
    if (bytes == null) {
      try (InputStream in = stream()) {
        bytes = length >= 0 ? readKnown(in) : readUnknown(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Reading the body failed: " + e.getMessage(), e);
      }
    }
    return bytes;
  }

  /**
   * The bytes for a caller of {@code body()}: a copy, except the first time a stream is read
   * whole, when the array read is handed over as it is (a 100 MB upload is then held once).
   */
  public synchronized byte[] bytesForCaller() {
    byte[] b = bytes();
    if (streamed && !handedOut) {
      handedOut = true;
      return b;
    }
    return b.clone();
  }

  private byte[] readKnown(InputStream in) throws IOException {
    if (length > MAX_ARRAY) {
      throw new BodyTooLargeException("A body of " + length + " bytes is larger than a Java array can"
          + " hold; read it with bodyStream()");
    }
    reserve(length, "A body of " + length + " bytes");
    byte[] all = new byte[(int) length];
    int n = in.readNBytes(all, 0, all.length);
    if (n < all.length) {
      throw new IOException("The body ended after " + n + " of its " + length + " bytes");
    }
    return all;
  }

  /** A body of unknown length: read in parts, then joined (twice its size while joining). */
  private byte[] readUnknown(InputStream in) throws IOException {
    List<byte[]> parts = new ArrayList<>();
    long total = 0;
    int next = FIRST_PART;
    while (true) {
      reserve(total + next, "A body of unknown length (no Content-Length) of more than " + total + " bytes");
      byte[] part = new byte[next];
      int n = in.readNBytes(part, 0, part.length);
      parts.add(part);
      total += n;
      if (n < part.length) {
        break;
      }
      next = (int) Math.min(LARGEST_PART, 2L * next);
    }
    if (total > MAX_ARRAY) {
      throw new BodyTooLargeException("A body of " + total + " bytes is larger than a Java array can"
          + " hold; read it with bodyStream()");
    }
    reserve(2 * total, "A body of unknown length (no Content-Length) of " + total + " bytes, which"
        + " needs twice its size while it is read,");
    byte[] all = new byte[(int) total];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      byte[] part = parts.set(i, null);
      int take = (int) Math.min(part.length, total - at);
      System.arraycopy(part, 0, all, at, take);
      at += take;
    }
    if (reservation != null) {
      reservation.shrinkTo(total);
    }
    return all;
  }

  private void reserve(long bytes, String what) throws BodyTooLargeException {
    if (reservation != null) {
      reservation.growTo(bytes, what);
    }
  }

  /** The stream as handed out: its end or close completes {@code finished}. */
  private final class Tracked extends FilterInputStream {
    Tracked(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return ended(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return ended(super.read(b, off, len));
      } catch (IOException | RuntimeException e) {
        finished.complete(null);
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        finished.complete(null);
      }
    }

    private int ended(int n) {
      if (n < 0) {
        finished.complete(null);
      }
      return n;
    }
  }
}
