package dev.durable.samples.chat;

import static dev.durable.samples.Requests.json;
import static dev.durable.samples.Requests.list;
import static dev.durable.samples.Requests.post;
import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.ObjectHandle;
import dev.durable.samples.TestSocket;
import dev.durable.testkit.DurableObjectsExtension;
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

  private static TestSocket join(String room, String user) throws InterruptedException {
    TestSocket socket = TestSocket.of(upgrade("/chat/" + room + "?user=" + user));
    assertThat(socket.nextJson()).containsEntry("type", "history");
    return socket;
  }

  @Test
  void aJoinerGetsTheHistoryThenTheRoomHearsOfTheJoin() throws Exception {
    TestSocket ada = TestSocket.of(upgrade("/chat/lobby?user=ada"));
    assertThat(ada.next()).isEqualTo("{\"type\":\"history\",\"messages\":[]}");
    assertThat(ada.next()).isEqualTo("{\"type\":\"joined\",\"user\":\"ada\",\"present\":[\"ada\"]}");

    TestSocket bob = join("lobby", "bob");
    assertThat(bob.next()).isEqualTo("{\"type\":\"joined\",\"user\":\"bob\",\"present\":[\"ada\",\"bob\"]}");
    assertThat(ada.nextJson()).containsEntry("type", "joined").containsEntry("user", "bob");
  }

  @Test
  void everyTextFrameIsBroadcastToTheWholeRoomAndKeptInSqlite() throws Exception {
    TestSocket ada = join("lobby", "ada");
    ada.next(); // ada joined
    TestSocket bob = join("lobby", "bob");
    bob.next(); // bob joined
    ada.next(); // bob joined, as ada hears it

    bob.send("hi all");

    String expected = "{\"type\":\"message\",\"user\":\"bob\",\"text\":\"hi all\",\"at\":\"2026-01-01T00:00:00Z\"}";
    assertThat(ada.next()).isEqualTo(expected);
    assertThat(bob.next()).isEqualTo(expected);
    assertThat(dos.stub("CHAT", "lobby")).hasRowCount("messages", 1);
    assertThat(dos.worker().fetch("/chat/lobby/history")).hasStatus(200).hasJsonBody(
        "{\"messages\": [{\"user\": \"bob\", \"text\": \"hi all\", \"at\": \"2026-01-01T00:00:00Z\"}]}");
  }

  @Test
  void aJoinerGetsTheLastFiftyMessagesOldestFirst() throws Exception {
    TestSocket ada = join("busy", "ada");
    ada.next();
    for (int i = 1; i <= 60; i++) {
      ada.send("message " + i);
      assertThat(ada.nextJson()).containsEntry("text", "message " + i);
    }

    TestSocket late = TestSocket.of(upgrade("/chat/busy?user=late"));
    Map<String, Object> history = late.nextJson();

    List<Map<String, Object>> messages = list(history, "messages");
    assertThat(messages).hasSize(ChatRoom.HISTORY);
    assertThat(messages.get(0)).containsEntry("text", "message 11");
    assertThat(messages.get(49)).containsEntry("text", "message 60");
  }

  @Test
  void messagesCarryTheTimeOfTheRuntimeClock() throws Exception {
    TestSocket ada = join("clock", "ada");
    ada.next();
    dos.clock().advance(Duration.ofMinutes(5));
    ada.send("later");
    assertThat(ada.nextJson()).containsEntry("at", "2026-01-01T00:05:00Z");
  }

  @Test
  void pingIsAnsweredPongWithoutWakingTheEvictedRoom() throws Exception {
    TestSocket ada = join("quiet", "ada");
    ada.next();
    DurableObjectStub room = dos.stub("CHAT", "quiet");
    dos.evict(room);

    ada.send("ping");

    assertThat(ada.next()).isEqualTo("pong");
    assertThat(ObjectHandle.of(room).isLive()).as("the room was woken").isFalse();
    assertThat(room).hasRowCount("messages", 0);
  }

  @Test
  void socketsNamesAndPresenceSurviveEviction() throws Exception {
    TestSocket ada = join("sleepy", "ada");
    ada.next();
    TestSocket bob = join("sleepy", "bob");
    bob.next();
    ada.next();
    DurableObjectStub room = dos.stub("CHAT", "sleepy");
    dos.evict(room);

    ada.send("still here");

    assertThat(bob.nextJson()).containsEntry("user", "ada").containsEntry("text", "still here");
    assertThat(ObjectHandle.of(room).isLive()).isTrue();
    assertThat(dos.worker().fetch("/chat/sleepy/presence")).hasJsonBody("{\"present\": [\"ada\", \"bob\"]}");
  }

  @Test
  void presenceComesFromTheSocketsTagsAndLeavingIsAnnounced() throws Exception {
    TestSocket ada = join("room", "ada");
    ada.next();
    TestSocket bob = join("room", "bob");
    bob.next();
    ada.next();
    assertThat(dos.worker().fetch("/chat/room/presence")).hasJsonBody("{\"present\": [\"ada\", \"bob\"]}");

    bob.close();

    assertThat(ada.next()).isEqualTo("{\"type\":\"left\",\"user\":\"bob\",\"present\":[\"ada\"]}");
    assertThat(dos.worker().fetch("/chat/room/presence")).hasJsonBody("{\"present\": [\"ada\"]}");
  }

  @Test
  void aMemberWithTwoSocketsLeavesOnlyWhenTheLastCloses() throws Exception {
    TestSocket ada = join("tabs", "ada");
    ada.next();
    TestSocket bob1 = join("tabs", "bob");
    bob1.next();
    ada.next();
    TestSocket bob2 = join("tabs", "bob");
    bob2.next();
    ada.next();
    bob1.next();

    bob1.close();
    ada.send("after one tab");
    assertThat(ada.nextJson()).as("no 'left' while bob has a tab open").containsEntry("type", "message");

    bob2.close();
    assertThat(ada.nextJson()).containsEntry("type", "left").containsEntry("user", "bob");
  }

  @Test
  void framesTheRoomRefusesAreAnsweredToTheSenderOnlyAndNotKept() throws Exception {
    TestSocket ada = join("strict", "ada");
    ada.next();
    TestSocket bob = join("strict", "bob");
    bob.next();
    ada.next();

    ada.send("x".repeat(ChatRoom.MAX_MESSAGE_CHARS + 1));
    assertThat(ada.nextJson()).containsEntry("type", "error")
        .containsEntry("message", "Messages are limited to 4096 characters, got 4097");
    ada.send("   ");
    assertThat(ada.nextJson()).containsEntry("message", "Empty messages are not sent");
    ada.send(new byte[] {1, 2, 3});
    assertThat(ada.nextJson()).containsEntry("message", "Send text frames; binary frames are not chat");
    ada.send("fine");

    assertThat(bob.nextJson()).as("bob hears only the accepted message").containsEntry("text", "fine");
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
        .satisfies(r -> assertThat(json(r).get("error")).asString().contains("use GET"));
  }
}
