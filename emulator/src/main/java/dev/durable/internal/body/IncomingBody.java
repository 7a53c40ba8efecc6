package dev.durable.internal.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as it arrives from the network: fails with {@link BodyTooLargeException} past
 * the server's limit, and when read whole takes its size from the server's {@link BodyMemory}
 * until {@link #release()} (the exchange is over).
 */
public final class IncomingBody extends FilterInputStream {
  private final long declaredLength;
  private final long limit;
  private final BodyMemory.Reservation reservation;
  private long read;

  /**
   * Reads {@code in}, {@code declaredLength} bytes long (-1 when unknown), failing once more
   * than {@code limit} bytes came.
   */
  public IncomingBody(InputStream in, long declaredLength, long limit, BodyMemory memory) {
    super(in);
    this.declaredLength = declaredLength;
    this.limit = limit;
    this.reservation = memory.reservation();
  }

  /** The length the client declared, or -1. */
  public long declaredLength() {
    return declaredLength;
  }

  /** The memory a whole read of this body takes, given back by {@link #release()}. */
  BodyMemory.Reservation reservation() {
    return reservation;
  }

  /** The exchange is over: the memory the body took goes back. */
  public void release() {
    reservation.close();
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws BodyTooLargeException {
    read += n;
    if (read > limit) {
      throw new BodyTooLargeException("The request body is larger than the server's limit of " + limit
          + " bytes (durable dev --max-body)");
    }
  }
}
