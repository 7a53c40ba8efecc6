package dev.durable.samples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketPair;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import dev.durable.samples.Timestamps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A chat room over hibernatable WebSockets. Members join at {@code GET /chat/{room}?user=NAME};
 * each text frame a member sends is kept in SQLite and broadcast to the room as JSON. A joiner
 * gets the last 50 messages first. {@code "ping"} is answered {@code "pong"} without waking the
 * room, and presence comes from socket tags, so it survives the room being evicted.
 *
 * <p>Frames the room sends, each a JSON object whose first key is {@code type}:
 * {@code {"type":"history","messages":[{"user":..,"text":..,"at":..}]}},
 * {@code {"type":"joined","user":..,"present":[..]}},
 * {@code {"type":"message","user":..,"text":..,"at":..}},
 * {@code {"type":"left","user":..,"present":[..]}} (when a member's last socket closes) and
 * {@code {"type":"error","message":..}} (to the sender only, for a frame the room refuses).
 *
 * <p>Over HTTP: {@code GET /chat/{room}/history} and {@code GET /chat/{room}/presence}.
 */
public class ChatRoom extends DurableObject {
  static final int HISTORY = 50;
  static final int MAX_MESSAGE_CHARS = 4096;
  private static final String USER_TAG = "user:";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What each socket carries through hibernation: who is on the other end. */
  record Member(String user) {}

  /** Called by the runtime; the table and the auto-response are set up on every start. */
  public ChatRoom(DurableObjectState ctx, Env env) {
    super(ctx, env);
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS messages(
          id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)""");
    ctx.setWebSocketAutoResponse("ping", "pong");
  }

  /** Joins a member (WebSocket upgrade), or answers history and presence. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      String page = path.size() == 3 ? path.get(2) : path.size() == 2 ? "" : null;
      if (page == null || !List.of("", "history", "presence").contains(page)) {
        throw HttpError.notFound("No route " + request.path() + "; a room has /chat/{room} (WebSocket),"
            + " /chat/{room}/history and /chat/{room}/presence");
      }
      if (!request.method().equals("GET")) {
        throw HttpError.methodNotAllowed(request.method(), request.path(), "GET");
      }
      return switch (page) {
        case "history" -> Response.json(Map.of("messages", history()));
        case "presence" -> Response.json(Map.of("present", present()));
        default -> join(request);
      };
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  private Response join(Request request) {
    if (!request.isWebSocketUpgrade()) {
      throw HttpError.of(426, "Join with a WebSocket: GET " + request.path()
          + "?user=NAME with Upgrade: websocket (e.g. websocat)");
    }
    String user = request.query("user");
    if (user == null || user.isBlank()) {
      throw HttpError.badRequest("Say who joins: ?user=NAME");
    }
    user = Http.name("user name", user);
    WebSocketPair pair = new WebSocketPair();
    WebSocket socket = pair.server();
    ctx.acceptWebSocket(socket, USER_TAG + user);
    socket.serializeAttachment(new Member(user));
    socket.send(json(frame("history", "messages", history())));
    broadcast(frame("joined", "user", user, "present", present()));
    return Response.webSocket(pair.client());
  }

  /** Keeps a member's text frame and broadcasts it to everyone, the sender included. */
  @Override
  public void webSocketMessage(WebSocket ws, String text) {
    if (text.isBlank()) {
      sendIfOpen(ws, json(frame("error", "message", "Empty messages are not sent")));
      return;
    }
    if (text.length() > MAX_MESSAGE_CHARS) {
      sendIfOpen(ws, json(frame("error", "message",
          "Messages are limited to " + MAX_MESSAGE_CHARS + " characters, got " + text.length())));
      return;
    }
    String user = memberOf(ws);
    String at = Timestamps.now(ctx).toString();
    ctx.storage().sql().exec("INSERT INTO messages(user, text, at) VALUES (?, ?, ?)", user, text, at);
    broadcast(frame("message", "user", user, "text", text, "at", at));
  }

  /** Binary frames are not chat: the sender is told so. */
  @Override
  public void webSocketMessage(WebSocket ws, byte[] data) {
    sendIfOpen(ws, json(frame("error", "message", "Send text frames; binary frames are not chat")));
  }

  /** A member left: the room hears of it once the member's last socket has closed. */
  @Override
  public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
    left(ws);
  }

  /** A member's connection failed: the same as leaving. */
  @Override
  public void webSocketError(WebSocket ws, Throwable error) {
    left(ws);
  }

  private void left(WebSocket ws) {
    String user = memberOf(ws);
    if (ctx.getWebSockets(USER_TAG + user).isEmpty()) {
      broadcast(frame("left", "user", user, "present", present()));
    }
  }

  /** The last {@value #HISTORY} messages, oldest first. */
  private List<Map<String, Object>> history() {
    List<Map<String, Object>> last = new ArrayList<>(ctx.storage().sql().exec(
        "SELECT user, text, at FROM messages ORDER BY id DESC LIMIT ?", HISTORY).toList());
    Collections.reverse(last);
    return last;
  }

  /** The names of the members with an open socket, from the sockets' tags. */
  private List<String> present() {
    TreeSet<String> names = new TreeSet<>();
    for (WebSocket ws : ctx.getWebSockets()) {
      for (String tag : ctx.getTags(ws)) {
        if (tag.startsWith(USER_TAG)) {
          names.add(tag.substring(USER_TAG.length()));
        }
      }
    }
    return List.copyOf(names);
  }

  private void broadcast(Map<String, Object> frame) {
    String json = json(frame);
    for (WebSocket ws : ctx.getWebSockets()) {
      sendIfOpen(ws, json);
    }
  }

  /**
   * Sends unless the socket closed since it was listed: its close event is on its way and will
   * tell the room, so a broadcast must not fail (and roll back the message) because of it.
   */
  private static void sendIfOpen(WebSocket ws, String json) {
    if (ws.readyState() != WebSocket.ReadyState.OPEN) {
      return;
    }
    try {
      ws.send(json);
    } catch (IllegalStateException closedMeanwhile) {
      // The socket closed between the check and the send; webSocketClose announces it.
    }
  }

  /** A frame whose first key is {@code type}, then the given key-value pairs in order. */
  private static Map<String, Object> frame(String type, Object... keysAndValues) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", type);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      frame.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return frame;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write " + value + " as JSON", e);
    }
  }

  private static String memberOf(WebSocket ws) {
    return ws.deserializeAttachment(Member.class).map(Member::user)
        .orElseThrow(() -> new IllegalStateException("A socket of this room has no member attachment"));
  }
}
