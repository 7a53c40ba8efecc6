package dev.durable.internal.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.internal.PerMessageDeflateExtension;

/**
 * permessage-deflate that sends messages under a threshold as they are, as the {@code ws}
 * library does: the upgrade still negotiates compression like Cloudflare's, but a chat line is
 * not deflated once for every socket of a room and inflated again by every client (that cost a
 * standard client five times the CPU of the messages themselves; BENCHMARKS.md, "Fan-out with a
 * standard client"). An uncompressed message (RSV1 clear) is valid inside a compressed session
 * and leaves the deflate context alone (RFC 7692, section 6).
 *
 * <p>It also inflates a client's message in pieces. The server turns auto-fragmenting off, so
 * that a frame declaring more than a message may hold is refused from its header; but Jetty's
 * inflater takes that same setting to mean "one inflated frame fits one 8 KiB buffer", which
 * closed every compressed message over 8 KiB with 1009. Here alone auto-fragmenting is on: the
 * inflated pieces go to the message assembler, which holds the message limit.
 *
 * <p>Jetty makes it by name for each connection that negotiates compression; the threshold is
 * the {@link Threshold} bean of the server's WebSocket components.
 */
public final class LargeMessageDeflate extends PerMessageDeflateExtension {
  /** The smallest payload that is compressed, in bytes. */
  public record Threshold(int minBytes) {}

  /** Data frames handed to the deflater whose last fragment has not gone on yet. */
  private final AtomicInteger deflating = new AtomicInteger();
  private int minBytes = DevServer.Options.DEFAULT_COMPRESSION_MIN;
  private Configuration inPieces;

  @Override
  public void init(ExtensionConfig config, WebSocketComponents components) {
    super.init(config, components);
    Threshold threshold = components.getBean(Threshold.class);
    if (threshold != null) {
      minBytes = threshold.minBytes();
    }
  }

  @Override
  protected Configuration getConfiguration() {
    Configuration session = super.getConfiguration();
    if (inPieces == null && session != null) {
      inPieces = new InPieces(session);
    }
    return inPieces;
  }

  @Override
  public void sendFrame(OutgoingEntry entry) {
    // A small whole message skips the deflater, unless a message queued before it is still
    // inside it: it would overtake that one.
    Frame frame = entry.getFrame();
    if (frame.isFin() && frame.getOpCode() != OpCode.CONTINUATION && !frame.isControlFrame()
        && frame.getPayloadLength() < minBytes && deflating.get() == 0) {
      super.nextOutgoingFrame(entry);
      return;
    }
    deflating.incrementAndGet();
    super.sendFrame(entry);
  }

  @Override
  protected void nextOutgoingFrame(OutgoingEntry entry) {
    // Called by the deflater for each frame it lets through (control frames too): once a
    // message's last fragment is passed on, later small messages may skip it again.
    super.nextOutgoingFrame(entry);
    if (entry.getFrame().isFin()) {
      deflating.decrementAndGet();
    }
  }

  /** The connection's configuration with auto-fragmenting on, for the deflater and inflater only. */
  private record InPieces(Configuration session) implements Configuration {
    @Override public boolean isAutoFragment() { return true; }
    @Override public void setAutoFragment(boolean on) { throw new UnsupportedOperationException(); }
    @Override public Duration getIdleTimeout() { return session.getIdleTimeout(); }
    @Override public void setIdleTimeout(Duration timeout) { session.setIdleTimeout(timeout); }
    @Override public long getMaxFrameSize() { return session.getMaxFrameSize(); }
    @Override public void setMaxFrameSize(long size) { session.setMaxFrameSize(size); }
    @Override public int getOutputBufferSize() { return session.getOutputBufferSize(); }
    @Override public void setOutputBufferSize(int size) { session.setOutputBufferSize(size); }
    @Override public int getInputBufferSize() { return session.getInputBufferSize(); }
    @Override public void setInputBufferSize(int size) { session.setInputBufferSize(size); }
    @Override public long getMaxBinaryMessageSize() { return session.getMaxBinaryMessageSize(); }
    @Override public void setMaxBinaryMessageSize(long size) { session.setMaxBinaryMessageSize(size); }
    @Override public long getMaxTextMessageSize() { return session.getMaxTextMessageSize(); }
    @Override public void setMaxTextMessageSize(long size) { session.setMaxTextMessageSize(size); }
    @Override public int getMaxOutgoingFrames() { return session.getMaxOutgoingFrames(); }
    @Override public void setMaxOutgoingFrames(int frames) { session.setMaxOutgoingFrames(frames); }
  }
}
