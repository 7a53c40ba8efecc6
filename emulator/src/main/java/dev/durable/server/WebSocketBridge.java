package dev.durable.server;

import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import dev.durable.websocket.LocalWebSocket;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Connects the client end of a {@link dev.durable.WebSocketPair} that a worker returned to the
 * network connection Jetty upgraded: frames from the network are sent on the client end, and what
 * the object sends reaches the network.
 */
final class WebSocketBridge {
  /** Request attribute holding the client end between the worker's answer and the upgrade. */
  static final String CLIENT_END = "durable.websocket.client";

  private WebSocketBridge() {}

  static void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      LocalWebSocket client = ctx.attribute(CLIENT_END);
      client.acceptInline(new ToNetwork(ctx.session));
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

  /** What the object sends on the server end arrives at the client end: pass it to the network. */
  private record ToNetwork(Session session) implements WebSocketListener {
    @Override
    public void onMessage(WebSocket ws, String message) {
      if (session.isOpen()) {
        session.sendText(message, Callback.NOOP);
      }
    }

    @Override
    public void onMessage(WebSocket ws, byte[] message) {
      if (session.isOpen()) {
        session.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);
      }
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
      if (session.isOpen()) {
        session.close(code, reason, Callback.NOOP);
      }
    }
  }
}
