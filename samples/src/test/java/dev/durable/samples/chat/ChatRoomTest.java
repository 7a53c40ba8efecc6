package dev.durable.samples.chat;

import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.ObjectTools;
import dev.durable.samples.Requests;
import dev.durable.testkit.DurableObjectsExtension;
import dev.durable.testkit.TestWebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatRoomTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("durable.jsonc"))
      .build();

  private static Response upgrade(String pathAndQuery) {
    return dos.worker().fetch(Request.builder("GET", pathAndQuery).header("upgrade", "websocket").build());
  }

  /** Joins a room and takes the history frame every joiner gets first. */
  private static TestWebSocket join(String room, String user) {
    TestWebSocket socket = dos.worker().connectWebSocket("/chat/" + room + "?user=" + user);
    assertThat(json(socket)).containsEntry("type", "history");
    return socket;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(TestWebSocket socket) {
    return socket.receiveJson(Map.class);
  }

  @Test
  void aJoinerGetsTheHistoryThenTheRoomHearsOfTheJoin() {
    TestWebSocket ada = dos.worker().connectWebSocket("/chat/lobby?user=ada");
    assertThat(ada.receive()).isEqualTo("{\"type\":\"history\",\"messages\":[]}");
    assertThat(ada.receive()).isEqualTo("{\"type\":\"joined\",\"user\":\"ada\",\"present\":[\"ada\"]}");

    TestWebSocket bob = join("lobby", "bob");
    assertThat(bob.receive()).isEqualTo("{\"type\":\"joined\",\"user\":\"bob\",\"present\":[\"ada\",\"bob\"]}");
    assertThat(json(ada)).containsEntry("type", "joined").containsEntry("user", "bob");
  }

  @Test
  void everyTextFrameIsBroadcastToTheWholeRoomAndKeptInSqlite() {
    TestWebSocket ada = join("lobby", "ada");
    ada.receive(); // ada joined
    TestWebSocket bob = join("lobby", "bob");
    bob.receive(); // bob joined
    ada.receive(); // bob joined, as ada hears it

    bob.send("hi all");

    String expected = "{\"type\":\"message\",\"user\":\"bob\",\"text\":\"hi all\",\"at\":\"2026-01-01T00:00:00Z\"}";
    assertThat(ada.receive()).isEqualTo(expected);
    assertThat(bob.receive()).isEqualTo(expected);
    assertThat(dos.stub("CHAT", "lobby")).hasRowCount("messages", 1);
    assertThat(dos.worker().fetch("/chat/lobby/history")).hasStatus(200).hasJsonBody(
        "{\"messages\": [{\"user\": \"bob\", \"text\": \"hi all\", \"at\": \"2026-01-01T00:00:00Z\"}]}");
  }

  @Test
  void aJoinerGetsTheLastFiftyMessagesOldestFirst() {
    TestWebSocket ada = join("busy", "ada");
    ada.receive();
    for (int i = 1; i <= 60; i++) {
      ada.send("message " + i);
      assertThat(json(ada)).containsEntry("text", "message " + i);
    }

    TestWebSocket late = dos.worker().connectWebSocket("/chat/busy?user=late");
    Map<String, Object> history = json(late);

    List<Map<String, Object>> messages = list(history, "messages");
    assertThat(messages).hasSize(ChatRoom.HISTORY);
    assertThat(messages.get(0)).containsEntry("text", "message 11");
    assertThat(messages.get(49)).containsEntry("text", "message 60");
  }

  @Test
  void messagesCarryTheTimeOfTheRuntimeClock() {
    TestWebSocket ada = join("clock", "ada");
    ada.receive();
    dos.clock().advance(Duration.ofMinutes(5));
    ada.send("later");
    assertThat(json(ada)).containsEntry("at", "2026-01-01T00:05:00Z");
  }

  @Test
  void pingIsAnsweredPongWithoutWakingTheEvictedRoom() {
    TestWebSocket ada = join("quiet", "ada");
    ada.receive();
    DurableObjectStub room = dos.stub("CHAT", "quiet");
    dos.evict(room);

    ada.send("ping");

    assertThat(ada.receive()).isEqualTo("pong");
    assertThat(ObjectTools.of(room).isLive(room)).as("the room was woken").isFalse();
    assertThat(room).hasRowCount("messages", 0);
  }

  @Test
  void socketsNamesAndPresenceSurviveEviction() {
    TestWebSocket ada = join("sleepy", "ada");
    ada.receive();
    TestWebSocket bob = join("sleepy", "bob");
    bob.receive();
    ada.receive();
    DurableObjectStub room = dos.stub("CHAT", "sleepy");
    dos.evict(room);

    ada.send("still here");

    assertThat(json(bob)).containsEntry("user", "ada").containsEntry("text", "still here");
    assertThat(ObjectTools.of(room).isLive(room)).isTrue();
    assertThat(dos.worker().fetch("/chat/sleepy/presence")).hasJsonBody("{\"present\": [\"ada\", \"bob\"]}");
  }

  @Test
  void presenceComesFromTheSocketsTagsAndLeavingIsAnnounced() {
    TestWebSocket ada = join("room", "ada");
    ada.receive();
    TestWebSocket bob = join("room", "bob");
    bob.receive();
    ada.receive();
    assertThat(dos.worker().fetch("/chat/room/presence")).hasJsonBody("{\"present\": [\"ada\", \"bob\"]}");

    bob.close();

    assertThat(ada.receive()).isEqualTo("{\"type\":\"left\",\"user\":\"bob\",\"present\":[\"ada\"]}");
    assertThat(dos.worker().fetch("/chat/room/presence")).hasJsonBody("{\"present\": [\"ada\"]}");
  }

  @Test
  void aMemberWithTwoSocketsLeavesOnlyWhenTheLastCloses() {
    TestWebSocket ada = join("tabs", "ada");
    ada.receive();
    TestWebSocket bob1 = join("tabs", "bob");
    bob1.receive();
    ada.receive();
    TestWebSocket bob2 = join("tabs", "bob");
    bob2.receive();
    ada.receive();
    bob1.receive();

    bob1.close();
    ada.send("after one tab");
    assertThat(json(ada)).as("no 'left' while bob has a tab open").containsEntry("type", "message");

    bob2.close();
    assertThat(json(ada)).containsEntry("type", "left").containsEntry("user", "bob");
  }

  @Test
  void framesTheRoomRefusesAreAnsweredToTheSenderOnlyAndNotKept() {
    TestWebSocket ada = join("strict", "ada");
    ada.receive();
    TestWebSocket bob = join("strict", "bob");
    bob.receive();
    ada.receive();

    ada.send("x".repeat(ChatRoom.MAX_MESSAGE_CHARS + 1));
    assertThat(json(ada)).containsEntry("type", "error")
        .containsEntry("message", "Messages are limited to 4096 characters, got 4097");
    ada.send("   ");
    assertThat(json(ada)).containsEntry("message", "Empty messages are not sent");
    ada.send(new byte[] {1, 2, 3});
    assertThat(json(ada)).containsEntry("message", "Send text frames; binary frames are not chat");
    ada.send("fine");

    assertThat(json(bob)).as("bob hears only the accepted message").containsEntry("text", "fine");
    assertThat(dos.stub("CHAT", "strict")).hasRowCount("messages", 1);
  }

  @Test
  void joiningWithoutAWebSocketIs426() {
    assertThat(dos.worker().fetch("/chat/lobby?user=ada")).hasStatus(426);
  }

  @Test
  void joiningWithoutAUserNameIs400() {
    assertThat(upgrade("/chat/lobby")).hasStatus(400).hasJsonBody("{\"error\": \"Say who joins: ?user=NAME\"}");
    assertThat(upgrade("/chat/lobby?user=")).hasStatus(400);
    assertThat(upgrade("/chat/lobby?user=" + "a".repeat(65))).hasStatus(400)
        .hasJsonBody("{\"error\": \"user name has at most 64 characters, got 65\"}");
  }

  @Test
  void unknownPagesAndMethodsAreRefusedClearly() {
    assertThat(dos.worker().fetch("/chat/lobby/nope")).hasStatus(404);
    assertThat(dos.worker().fetch(post("/chat/lobby/history", "{}"))).hasStatus(405)
        .satisfies(r -> assertThat(Requests.json(r).get("error")).asString().contains("use GET"));
  }
}
