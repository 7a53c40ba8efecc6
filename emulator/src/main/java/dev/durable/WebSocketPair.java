package dev.durable;

import dev.durable.internal.websocket.LocalWebSocket;

/**
 * Two connected WebSocket ends, as Cloudflare's {@code new WebSocketPair()}: what one end sends
 * the other receives. Accept the server end and answer the upgrade with the client end.
 *
 * <pre>{@code
 * public Response fetch(Request request) {
 *   if (!request.isWebSocketUpgrade()) return Response.status(426, "Expected a WebSocket");
 *   WebSocketPair pair = new WebSocketPair();
 *   ctx.acceptWebSocket(pair.server(), "room:lobby");
 *   return Response.webSocket(pair.client());
 * }
 * }</pre>
 */
public final class WebSocketPair {
  private final WebSocket client;
  private final WebSocket server;

  /** A new pair of connected, open ends. */
  public WebSocketPair() {
    LocalWebSocket[] ends = LocalWebSocket.pair();
    this.client = ends[0];
    this.server = ends[1];
  }

  /** The end handed back to whoever opened the connection (in {@link Response#webSocket}). */
  public WebSocket client() {
    return client;
  }

  /** The end the object keeps and accepts. */
  public WebSocket server() {
    return server;
  }
}
