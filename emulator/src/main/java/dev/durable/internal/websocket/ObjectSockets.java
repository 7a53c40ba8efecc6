package dev.durable.internal.websocket;

import dev.durable.DurableObject;
import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import dev.durable.internal.gate.EventRunner;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hibernatable WebSockets of one object: they belong to the namespace, not to the instance,
 * so they stay open while the instance is evicted, and each message wakes the object again.
 * Messages equal to the auto-response request are answered here without waking it.
 */
public final class ObjectSockets {
  private static final Logger log = LoggerFactory.getLogger(ObjectSockets.class);
  static final int MAX_TAGS = 10;
  static final int MAX_TAG_CHARS = 256;
  static final int MAX_SOCKETS = 32_768;

  /** The auto-response pair. */
  private record AutoResponse(String request, String response) {}

  /** An accepted socket's tags, and when an auto-response last answered it. */
  private record Accepted(List<String> tags, AtomicReference<Instant> autoResponseAt) {}

  private final Supplier<EventRunner> object;
  private final InstantSource clock;
  private final Map<WebSocket, Accepted> sockets = new ConcurrentHashMap<>();
  private volatile AutoResponse autoResponse;

  /**
   * The sockets of the object {@code object} runs events of (asked anew for each event, as the
   * object's instance comes and goes); auto-responses are stamped with {@code clock}.
   */
  public ObjectSockets(Supplier<EventRunner> object, InstantSource clock) {
    this.object = object;
    this.clock = clock;
  }

  public void accept(WebSocket ws, String... tags) {
    if (!(ws instanceof LocalWebSocket local)) {
      throw new IllegalArgumentException("acceptWebSocket() takes the server end of a WebSocketPair, got "
          + ws);
    }
    if (local.isAccepted()) {
      throw new IllegalStateException("acceptWebSocket(): this WebSocket was already accepted");
    }
    if (ws.readyState() != WebSocket.ReadyState.OPEN) {
      throw new IllegalStateException("acceptWebSocket(): the WebSocket is already closed");
    }
    List<String> tagList = checkTags(tags);
    if (sockets.size() >= MAX_SOCKETS) {
      throw new IllegalStateException("An object may accept at most " + MAX_SOCKETS + " WebSockets");
    }
    sockets.put(ws, new Accepted(tagList, new AtomicReference<>()));
    local.accept(new Dispatcher());
  }

  public List<WebSocket> all(String tag) {
    List<WebSocket> result = new ArrayList<>();
    sockets.forEach((ws, a) -> {
      if (ws.readyState() == WebSocket.ReadyState.OPEN && (tag == null || a.tags().contains(tag))) {
        result.add(ws);
      }
    });
    return result;
  }

  public List<String> tags(WebSocket ws) {
    Accepted a = sockets.get(ws);
    if (a == null) {
      throw new IllegalArgumentException("getTags(): the WebSocket was not accepted by this object");
    }
    return a.tags();
  }

  public void setAutoResponse(String request, String response) {
    if (request == null && response == null) {
      autoResponse = null;
      return;
    }
    if (request == null || request.isEmpty() || response == null) {
      throw new IllegalArgumentException("setWebSocketAutoResponse() needs a non-empty request and a response");
    }
    if (request.length() > 2048 || response.length() > 2048) {
      throw new IllegalArgumentException("setWebSocketAutoResponse(): request and response are limited to 2048 characters");
    }
    autoResponse = new AutoResponse(request, response);
  }

  public Optional<Instant> autoResponseTimestamp(WebSocket ws) {
    return Optional.ofNullable(sockets.get(ws)).map(a -> a.autoResponseAt().get());
  }

  /** Closes every socket (the runtime is stopping): clients see the code. */
  public void closeAll(int code, String reason) {
    for (WebSocket ws : sockets.keySet()) {
      ((LocalWebSocket) ws).closeWith(code, reason);
    }
    sockets.clear();
  }

  private static List<String> checkTags(String[] tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.length > MAX_TAGS) {
      throw new IllegalArgumentException("acceptWebSocket(): at most " + MAX_TAGS + " tags, got "
          + tags.length);
    }
    for (String t : tags) {
      if (t == null || t.isEmpty()) {
        throw new IllegalArgumentException("acceptWebSocket(): tags must not be empty");
      }
      if (t.length() > MAX_TAG_CHARS) {
        throw new IllegalArgumentException("acceptWebSocket(): a tag may have at most " + MAX_TAG_CHARS
            + " characters, got " + t.length());
      }
    }
    return List.of(tags);
  }

  /** Turns the events of an accepted socket into events of the object. */
  private final class Dispatcher implements WebSocketListener {
    @Override
    public void onMessage(WebSocket ws, String message) {
      AutoResponse auto = autoResponse;
      if (auto != null && auto.request().equals(message)) {
        Accepted a = sockets.get(ws);
        if (a != null) {
          a.autoResponseAt().set(clock.instant());
        }
        ws.send(auto.response());
        return;
      }
      event(ws, "webSocketMessage", obj -> obj.webSocketMessage(ws, message));
    }

    @Override
    public void onMessage(WebSocket ws, byte[] message) {
      event(ws, "webSocketMessage", obj -> obj.webSocketMessage(ws, message));
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
      sockets.remove(ws);
      event(ws, "webSocketClose", obj -> obj.webSocketClose(ws, code, reason, wasClean));
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      sockets.remove(ws);
      event(ws, "webSocketError", obj -> obj.webSocketError(ws, error));
    }
  }

  /** What a handler does with the instance. */
  @FunctionalInterface
  private interface Handler {
    void handle(DurableObject instance) throws Exception;
  }

  private void event(WebSocket ws, String handler, Handler body) {
    EventRunner handle = object.get();
    try {
      handle.run(obj -> {
        body.handle(obj);
        return null;
      }, true);
    } catch (Throwable t) {
      log.error("{}() of {} failed", handler, handle.describe(), t);
    }
  }
}
