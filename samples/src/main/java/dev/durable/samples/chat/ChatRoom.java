package dev.durable.samples.chat;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketPair;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <p>Frames the room sends: {@code {"type":"history","messages":[...]}},
 * {@code {"type":"message","user":..,"text":..,"at":..}}, {@code {"type":"joined","user":..,
 * "present":[..]}} and {@code {"type":"left","user":..,"present":[..]}}.
 */
public class ChatRoom extends DurableObject {
  static final int HISTORY = 50;
  static final int MAX_MESSAGE_CHARS = 4096;
  private static final String USER_TAG = "user:";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ChatRoom(DurableObjectState ctx, Env env) {
    super(ctx, env);
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS messages(
          id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)""");
    ctx.setWebSocketAutoResponse("ping", "pong");
  }

  @Override
  public Response fetch(Request request) {
    if (request.path().endsWith("/history")) {
      return Response.json(history());
    }
    if (request.path().endsWith("/presence")) {
      return Response.json(present());
    }
    if (!request.isWebSocketUpgrade()) {
      return Response.status(426, "Join with a WebSocket: GET /chat/{room}?user=NAME with Upgrade: websocket");
    }
    String user = request.query("user");
    if (user == null || user.isBlank() || user.length() > 64) {
      return Response.status(400, "Give a user name of 1 to 64 characters: ?user=NAME");
    }
    WebSocketPair pair = new WebSocketPair();
    WebSocket socket = pair.server();
    ctx.acceptWebSocket(socket, USER_TAG + user);
    socket.serializeAttachment(Map.of("user", user));
    socket.send(json(Map.of("type", "history", "messages", history())));
    broadcast(Map.of("type", "joined", "user", user, "present", present()));
    return Response.webSocket(pair.client());
  }

  @Override
  public void webSocketMessage(WebSocket ws, String text) {
    if (text.length() > MAX_MESSAGE_CHARS) {
      ws.send(json(Map.of("type", "error",
          "message", "Messages are limited to " + MAX_MESSAGE_CHARS + " characters")));
      return;
    }
    String user = userOf(ws);
    String at = ctx.now().toString();
    ctx.storage().sql().exec("INSERT INTO messages(user, text, at) VALUES (?, ?, ?)", user, text, at);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "message");
    message.put("user", user);
    message.put("text", text);
    message.put("at", at);
    broadcast(message);
  }

  @Override
  public void webSocketMessage(WebSocket ws, byte[] data) {
    ws.send(json(Map.of("type", "error", "message", "Send text frames; binary frames are not chat")));
  }

  @Override
  public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
    broadcast(Map.of("type", "left", "user", userOf(ws), "present", present()));
  }

  /** The last {@value #HISTORY} messages, oldest first. */
  private List<Map<String, Object>> history() {
    List<Map<String, Object>> last = new ArrayList<>(ctx.storage().sql().exec(
        "SELECT user, text, at FROM messages ORDER BY id DESC LIMIT ?", HISTORY).toList());
    Collections.reverse(last);
    return last;
  }

  /** The names of the members with an open socket. */
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

  private void broadcast(Map<String, Object> message) {
    String json = json(message);
    for (WebSocket ws : ctx.getWebSockets()) {
      ws.send(json);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write " + value + " as JSON", e);
    }
  }

  private static String userOf(WebSocket ws) {
    return (String) ws.deserializeAttachment(Map.class).map(a -> a.get("user")).orElse("unknown");
  }
}
