package dev.durable.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.WebSocket;
import dev.durable.WebSocketListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LocalWebSocketTest {
  /** Records what reaches one end. */
  private static final class Recorder implements WebSocketListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(WebSocket ws, String message) {
      events.add("message " + message);
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
      events.add("close " + code);
    }
  }

  @Test
  void aMessageToASocketTheOtherEndClosedIsDroppedWithoutFailingTheSender() {
    // A broadcast that lists a socket just before its client disconnects must not fail the event.
    LocalWebSocket[] pair = LocalWebSocket.pair();
    LocalWebSocket client = pair[0];
    LocalWebSocket server = pair[1];
    Recorder atClient = new Recorder();
    Recorder atServer = new Recorder();
    client.acceptInline(atClient);
    server.acceptInline(atServer);

    client.closeWith(1001, "gone");
    assertThat(server.readyState()).isEqualTo(WebSocket.ReadyState.CLOSED);
    server.send("too late");
    server.send(new byte[] {1});

    assertThat(atClient.events).as("nothing reaches the end that closed").isEmpty();
    assertThat(atServer.events).containsExactly("close 1001");
  }

  @Test
  void sendingAfterClosingThisEndFails() {
    LocalWebSocket[] pair = LocalWebSocket.pair();
    LocalWebSocket server = pair[1];
    pair[0].acceptInline(new Recorder());
    server.acceptInline(new Recorder());
    server.close(1000, "done");
    assertThatThrownBy(() -> server.send("after my own close"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Can't call WebSocket send() after the socket was closed");
  }
}
