package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions and their message tree: create, list, append, branch, fork, eviction. */
class SessionsTest extends SessionsFixture {

  private static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }

  @Test
  void aSessionIsCreatedFoundListedRenamedAndDeleted() {
    Session trip = in((Sessions s) -> s.create("Trip", Map.of("model", "m1")));
    dos.clock().advance(Duration.ofMinutes(1));
    Session work = in((Sessions s) -> s.create("Work"));

    assertThat(trip.name()).isEqualTo("Trip");
    assertThat(trip.metadata().get("model").asText()).isEqualTo("m1");
    assertThat(trip.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(trip.isFork()).isFalse();
    assertThat(in((Sessions s) -> s.get(trip.id()))).contains(trip);
    assertThat(in((Sessions s) -> s.list())).extracting(Session::name).containsExactly("Work", "Trip");

    dos.clock().advance(Duration.ofMinutes(1));
    Session renamed = in((Sessions s) -> s.rename(trip.id(), "Lisbon trip"));
    assertThat(renamed.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
    assertThat(in((Sessions s) -> s.list())).extracting(Session::name).containsExactly("Lisbon trip", "Work");

    assertThat(in((Sessions s) -> s.delete(work.id()))).isTrue();
    assertThat(in((Sessions s) -> s.delete(work.id()))).isFalse();
    assertThat(in((Sessions s) -> s.get(work.id()))).isEmpty();
  }

  @Test
  void messagesFollowTheSessionsLatestMessageUnlessGivenAParent() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message q = in((Sessions s) -> s.append(chat, NewMessage.user("Where should I go in May?")));
    Message a = in((Sessions s) -> s.append(chat, NewMessage.assistant("Lisbon.")));
    Message retry = in((Sessions s) -> s.append(chat, q.id(), NewMessage.assistant("Porto.")));
    Message more = in((Sessions s) -> s.append(chat, NewMessage.user("Why Porto?")));

    assertThat(q.parentId()).isNull();
    assertThat(a.parentId()).isEqualTo(q.id());
    assertThat(retry.parentId()).isEqualTo(q.id());
    assertThat(more.parentId()).as("a plain append follows the newest message").isEqualTo(retry.id());
    assertThat(ids(in((Sessions s) -> s.children(q.id())))).containsExactly(a.id(), retry.id());
    assertThat(ids(in((Sessions s) -> s.history(a.id())))).containsExactly(q.id(), a.id());
    assertThat(ids(in((Sessions s) -> s.branch(more.id())))).containsExactly(q.id(), retry.id(), more.id());
    assertThat(ids(in((Sessions s) -> s.sessionHistory(chat)))).containsExactly(q.id(), retry.id(), more.id());
    assertThat(ids(in((Sessions s) -> s.messages(chat)))).containsExactly(q.id(), a.id(), retry.id(), more.id());
    assertThat(in((Sessions s) -> s.messageCount(chat))).isEqualTo(4);
    assertThat(in((Sessions s) -> s.latestLeaf(chat))).contains(more);
    assertThat(in((Sessions s) -> s.message(a.id()))).contains(a);
  }

  @Test
  void aNullParentStartsAnotherRootInTheSameSession() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    in((Sessions s) -> s.append(chat, NewMessage.user("first topic")));
    Message root = in((Sessions s) -> s.append(chat, null, NewMessage.user("second topic")));

    assertThat(root.parentId()).isNull();
    assertThat(ids(in((Sessions s) -> s.history(root.id())))).containsExactly(root.id());
  }

  @Test
  void rolePartsMetadataAndCallerChosenIdsAreKeptAndTextPartsBecomeTheContent() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message m = in((Sessions s) -> s.append(chat, NewMessage.ofParts("assistant", List.of(
            Map.of("type", "text", "text", "Lisbon."),
            Map.of("type", "tool-weather", "input", Map.of("city", "Lisbon")),
            Map.of("type", "text", "text", "Warm in May."))).withId("msg-1")
        .withMetadata(Map.of("model", "m1", "tokens", 12))));

    Message read = in((Sessions s) -> s.message("msg-1")).orElseThrow();
    assertThat(read).isEqualTo(m);
    assertThat(read.role()).isEqualTo("assistant");
    assertThat(read.content()).isEqualTo("Lisbon.\nWarm in May.");
    assertThat(read.parts()).hasSize(3);
    assertThat(read.parts().get(1).get("input").get("city").asText()).isEqualTo("Lisbon");
    assertThat(read.metadata().get("tokens").asInt()).isEqualTo(12);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(read.isSummary()).isFalse();
  }

  @Test
  void aForkSharesThePastWithoutCopyingItAndContinuesFromTheForkPoint() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message q = in((Sessions s) -> s.append(chat, NewMessage.user("Where in May?")));
    Message a = in((Sessions s) -> s.append(chat, NewMessage.assistant("Lisbon.")));
    in((Sessions s) -> s.append(chat, NewMessage.user("And in June?")));
    long storedBefore = rows().get("cf_agents_session_messages");

    Session fork = in((Sessions s) -> s.fork(chat, a.id(), "Chat, take two"));

    assertThat(rows().get("cf_agents_session_messages")).as("a fork copies no message").isEqualTo(storedBefore);
    assertThat(fork.isFork()).isTrue();
    assertThat(fork.parentSessionId()).isEqualTo(chat);
    assertThat(fork.forkedFromMessageId()).isEqualTo(a.id());
    assertThat(in((Sessions s) -> s.latestLeaf(fork.id()))).contains(a);
    assertThat(ids(in((Sessions s) -> s.sessionHistory(fork.id())))).containsExactly(q.id(), a.id());
    assertThat(in((Sessions s) -> s.messageCount(fork.id()))).isZero();

    Message july = in((Sessions s) -> s.append(fork.id(), NewMessage.user("And in July?")));
    assertThat(july.parentId()).isEqualTo(a.id());
    assertThat(july.sessionId()).isEqualTo(fork.id());
    assertThat(ids(in((Sessions s) -> s.sessionHistory(fork.id())))).containsExactly(q.id(), a.id(), july.id());
    assertThat(ids(in((Sessions s) -> s.children(a.id())))).as("the tree shows the branch").hasSize(2).contains(july.id());
    assertThat(ids(in((Sessions s) -> s.sessionHistory(chat)))).as("the original session is unchanged").hasSize(3)
        .doesNotContain(july.id());

    Message again = in((Sessions s) -> s.append(fork.id(), q.id(), NewMessage.assistant("Madeira.")));
    assertThat(ids(in((Sessions s) -> s.history(again.id())))).as("the fork may branch anywhere in its past")
        .containsExactly(q.id(), again.id());
  }

  @Test
  void aForkOfAForkReachesBackThroughBoth() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message one = in((Sessions s) -> s.append(chat, NewMessage.user("one")));
    Session fork = in((Sessions s) -> s.fork(chat, one.id(), "fork"));
    Message two = in((Sessions s) -> s.append(fork.id(), NewMessage.user("two")));
    Session forkOfFork = in((Sessions s) -> s.fork(fork.id(), two.id(), "fork of fork"));
    Message three = in((Sessions s) -> s.append(forkOfFork.id(), one.id(), NewMessage.user("three")));

    assertThat(ids(in((Sessions s) -> s.history(three.id())))).containsExactly(one.id(), three.id());
    assertThat(ids(in((Sessions s) -> s.sessionHistory(forkOfFork.id())))).containsExactly(one.id(), three.id());
    assertThat(ids(in((Sessions s) -> s.branch(two.id())))).containsExactly(one.id(), two.id());
  }

  @Test
  void deletingASessionRemovesItsMessagesButASessionWithForksIsKept() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message q = in((Sessions s) -> s.append(chat, NewMessage.user("lisbon")));
    Session fork = in((Sessions s) -> s.fork(chat, q.id(), "fork"));
    in((Sessions s) -> s.append(fork.id(), NewMessage.user("porto")));
    Map<String, Long> before = rows();

    assertThatThrownBy(() -> in((Sessions s) -> s.delete(chat)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Session '" + chat + "' has forks that share its messages [" + fork.id() + "]; delete them first");
    assertThat(rows()).isEqualTo(before);

    assertThat(in((Sessions s) -> s.delete(fork.id()))).isTrue();
    assertThat(in((Sessions s) -> s.delete(chat))).isTrue();
    assertThat(rows()).containsEntry("cf_agents_session_messages", 0L).containsEntry("search index", 0L);
    assertThat(in((Sessions s) -> s.searchAll("lisbon OR porto"))).isEmpty();
  }

  @Test
  void everythingReloadsFromSqliteAfterEviction() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message q = in((Sessions s) -> s.append(chat, NewMessage.user("Where should I go in May?")));
    Message a = in((Sessions s) -> s.append(chat, NewMessage.assistant("Lisbon, it is warm.")));
    Session fork = in((Sessions s) -> s.fork(chat, q.id(), "fork"));
    Compaction c = in((Sessions s) -> s.compact(chat, q.id(), a.id(), "Asked where to go; Lisbon."));
    in((Sessions s) -> s.context().set("memory", "Likes warm places."));

    dos.evict(notebook());

    assertThat(in((Sessions s) -> s.get(chat))).isPresent();
    assertThat(in((Sessions s) -> s.get(fork.id()))).isPresent();
    assertThat(ids(in((Sessions s) -> s.branch(a.id())))).containsExactly(q.id(), a.id());
    assertThat(ids(in((Sessions s) -> s.sessionHistory(chat)))).containsExactly("compaction_" + c.id());
    assertThat(in((Sessions s) -> s.search(chat, "warm"))).extracting(SearchHit::messageId).containsExactly(a.id());
    assertThat(in((Sessions s) -> s.context().get("memory").orElseThrow().content())).isEqualTo("Likes warm places.");
  }

  @Test
  void anAgentHasTheSameSessionsThroughSessions() {
    var tally = dos.stub("TALLY", "ada");
    String id = dos.callInDurableObject(tally, (TestAgents.Tally t, DurableObjectState s) -> {
      String chat = t.sessions().create("Chat").id();
      t.sessions().append(chat, NewMessage.user("count to three"));
      return chat;
    });

    List<Message> history = dos.callInDurableObject(tally,
        (TestAgents.Tally t, DurableObjectState s) -> Sessions.of(s).sessionHistory(id));

    assertThat(history).extracting(Message::content).containsExactly("count to three");
  }

  @Test
  void aFailedTurnThatMadeTheTablesLeavesSessionsUsable() {
    assertThatThrownBy(() -> in((Sessions s) -> {
      s.create("rolled back");
      throw new IllegalStateException("the handler fails after its first use of sessions");
    })).hasMessageContaining("the handler fails");

    assertThat(in((Sessions s) -> s.list())).isEmpty();
    assertThat(in((Sessions s) -> s.create("Chat")).name()).isEqualTo("Chat");
  }
}
