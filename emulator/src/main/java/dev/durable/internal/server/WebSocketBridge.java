package dev.durable.internal.server;

import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import dev.durable.internal.gate.OutputGate;
import dev.durable.internal.websocket.LocalWebSocket;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the client end of a {@link dev.durable.WebSocketPair} that a worker returned to the
 * network connection Jetty upgraded: frames from the network are sent on the client end, and what
 * the object sends reaches the network.
 */
final class WebSocketBridge {
  /** Request attribute holding the client end between the worker's answer and the upgrade. */
  static final String CLIENT_END = "durable.websocket.client";
  /** How many bytes may wait for one slow client before its connection is dropped. */
  static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(WebSocketBridge.class);

  private WebSocketBridge() {}

  static void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      LocalWebSocket client = ctx.attribute(CLIENT_END);
      client.acceptInline(new ToNetwork(ctx.session, client));
    });
    ws.onMessage(ctx -> clientEnd(ctx).send(ctx.message()));
    ws.onBinaryMessage(ctx -> {
      ByteBuffer buffer = ctx.data();
      byte[] data = new byte[buffer.remaining()];
      buffer.get(data);
      clientEnd(ctx).send(data);
    });
    ws.onClose(ctx -> {
      LocalWebSocket client = clientEnd(ctx);
      if (client.readyState() == WebSocket.ReadyState.OPEN) {
        client.closeWith(ctx.status(), ctx.reason() == null ? "" : ctx.reason());
      }
    });
    ws.onError(ctx -> {
      LocalWebSocket client = clientEnd(ctx);
      if (client != null) {
        client.failConnection(ctx.error() == null ? new IllegalStateException("WebSocket error") : ctx.error());
      }
    });
  }

  private static LocalWebSocket clientEnd(WsContext ctx) {
    return ctx.attribute(CLIENT_END);
  }

  /**
   * What the object sends on the server end arrives at the client end: pass it to the network.
   * Messages released by one commit (a room's broadcasts of a batch of turns) are gathered into
   * one write per connection: each is queued in Jetty's frame buffer, and the connection is
   * flushed once the commit's output has all been released.
   */
  private static final class ToNetwork implements WebSocketListener {
    /** The last text sent and its UTF-8 bytes: a broadcast sends one string to every socket. */
    private static volatile EncodedText lastText;

    private final Session session;
    private final LocalWebSocket client;
    /** Jetty's frame-level session, for batched sends. */
    private final CoreSession frames;
    private final Runnable flush = this::flush;
    /** Bytes handed to Jetty and not yet written to the network. */
    private final AtomicLong queued = new AtomicLong();
    /** Of those, the bytes queued since the last flush: the next flush accounts for them. */
    private final AtomicLong unflushed = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    ToNetwork(Session session, LocalWebSocket client) {
      this.session = session;
      this.client = client;
      this.frames = ((WebSocketSession) session).getCoreSession(); // Jetty's is the only Session
    }

    @Override
    public void onMessage(WebSocket ws, String message) {
      if (!session.isOpen()) {
        return;
      }
      EncodedText encoded = lastText;
      if (encoded == null || encoded.text() != message) {
        encoded = new EncodedText(message, message.getBytes(StandardCharsets.UTF_8));
        lastText = encoded;
      }
      send(new Frame(OpCode.TEXT).setPayload(ByteBuffer.wrap(encoded.utf8())));
    }

    @Override
    public void onMessage(WebSocket ws, byte[] message) {
      if (!session.isOpen()) {
        return;
      }
      send(new Frame(OpCode.BINARY).setPayload(ByteBuffer.wrap(message)));
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
      if (session.isOpen()) {
        session.close(code, reason, Callback.NOOP); // after the frames queued before it
      }
    }

    /**
     * Queues a frame for the network. A client that stops reading would otherwise make the
     * queue grow without bound, until the server runs out of memory for everyone: past
     * {@link #MAX_QUEUED_BYTES} not yet written, the connection is dropped and the object hears
     * of it as a close with 1013 (try again later), while the other sockets are served as before.
     */
    private void send(Frame frame) {
      if (overflowed.get()) {
        return;
      }
      long size = frame.getPayloadLength();
      long waiting = queued.addAndGet(size);
      unflushed.addAndGet(size);
      frames.sendFrame(frame, org.eclipse.jetty.util.Callback.NOOP, true);
      OutputGate.afterRelease(flush);
      if (waiting > MAX_QUEUED_BYTES && overflowed.compareAndSet(false, true)) {
        log.warn("Closing a WebSocket whose client has not read {} bytes sent to it", waiting);
        // Off this thread, which may be releasing an object's output inside its event.
        Thread.ofVirtual().name("durable-websocket-overflow").start(() -> {
          client.closeWith(1013, "The client did not read what was sent to it");
          frames.abort();
        });
      }
    }

    /** Writes what is queued; its bytes stop counting once the write is done (one callback a flush). */
    private void flush() {
      long written = unflushed.getAndSet(0);
      frames.flush(org.eclipse.jetty.util.Callback.from(() -> queued.addAndGet(-written),
          failure -> queued.addAndGet(-written)));
    }
  }

  /** A text message and its UTF-8 encoding. */
  private record EncodedText(String text, byte[] utf8) {}
}
