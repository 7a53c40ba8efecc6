package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;
import dev.durable.testkit.fixtures.Echo;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestWebSocketTest {
  /** Routes /echo/{name}?user=... to the ECHO object of that name. */
  public static class Router implements Worker {
    @Override
    public Response fetch(Request request, Env env, ExecutionContext ctx) {
      return env.durableObject("ECHO").getByName(request.path().substring("/echo/".length())).fetch(request);
    }
  }

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("ECHO", Echo.class)
      .worker(new Router())
      .build();

  @Test
  void messagesGoBothWaysAndReachEveryAcceptedSocket() {
    DurableObjectStub room = dos.stub("ECHO", "r");
    TestWebSocket alice = dos.connectWebSocket(room, "/echo/r?user=alice");
    TestWebSocket bob = dos.connectWebSocket(room, "/echo/r?user=bob");
    alice.send("hi");
    assertThat(alice.receive()).isEqualTo("alice: hi");
    assertThat(bob.receive()).isEqualTo("alice: hi");
    bob.send(new byte[] {1, 2, 3});
    assertThat(bob.receiveBinary()).containsExactly(1, 2, 3);
  }

  @Test
  void socketsStayOpenWhenTheObjectIsEvictedAndTheNextMessageWakesIt() {
    DurableObjectStub room = dos.stub("ECHO", "r");
    TestWebSocket alice = dos.connectWebSocket(room, "/echo/r?user=alice");
    dos.evict(room);
    int before = Echo.constructed.get();
    alice.send("ping");
    assertThat(alice.receive()).as("the auto-response").isEqualTo("pong");
    assertThat(Echo.constructed.get()).as("constructions after ping").isEqualTo(before);
    alice.send("still here");
    assertThat(alice.receive()).isEqualTo("alice: still here");
    assertThat(Echo.constructed.get()).isEqualTo(before + 1);
  }

  @Test
  void closingFromEitherSideIsSeenByTheOther() {
    DurableObjectStub room = dos.stub("ECHO", "r");
    TestWebSocket alice = dos.connectWebSocket(room, "/echo/r?user=alice");
    alice.send("bye");
    assertThat(alice.awaitClose()).isEqualTo(new TestWebSocket.CloseStatus(4000, "bye alice"));
    assertThat(alice.isOpen()).isFalse();

    TestWebSocket bob = dos.connectWebSocket(room, "/echo/r?user=bob");
    bob.close(4001, "leaving");
    awaitStored(room, "closed", "4001 leaving");
  }

  @Test
  void theWorkerCanBeTheOneThatConnects() {
    TestWebSocket carol = dos.worker().connectWebSocket("/echo/w?user=carol");
    carol.send("yo");
    assertThat(carol.receive()).isEqualTo("carol: yo");
  }

  @Test
  void anObjectThatRefusesTheUpgradeFailsWithItsAnswer() {
    assertThatThrownBy(() -> dos.connectWebSocket(dos.stub("ECHO", "r"), "/echo/r"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to accept the WebSocket (101) but it answered 400 user is required");
  }

  @Test
  void receiveFailsClearlyWhenNothingComes() {
    TestWebSocket alice = dos.connectWebSocket(dos.stub("ECHO", "quiet"), "/echo/quiet?user=a");
    assertThatThrownBy(() -> alice.receive(Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a message from").hasMessageContaining("but none came");
    assertThat(alice.poll(Duration.ofMillis(20))).isEmpty();
  }

  private static void awaitStored(DurableObjectStub stub, String key, String value) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (dos.snapshot(stub).entries().containsKey(key)) {
        break;
      }
      Thread.onSpinWait();
    }
    assertThat(stub).hasValue(key, value);
  }
}
