package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compaction as an overlay: histories show the summary, the messages stay, and it can be undone. */
class CompactionTest extends SessionsFixture {
  private String chat;
  private Message m1;
  private Message m2;
  private Message m3;
  private Message m4;
  private Message m5;

  @BeforeEach
  void fiveMessages() {
    chat = in((Sessions s) -> s.create("Chat")).id();
    m1 = in((Sessions s) -> s.append(chat, NewMessage.system("Be brief.")));
    m2 = in((Sessions s) -> s.append(chat, NewMessage.user("Where in May?")));
    m3 = in((Sessions s) -> s.append(chat, NewMessage.assistant("Lisbon.")));
    m4 = in((Sessions s) -> s.append(chat, NewMessage.user("And June?")));
    m5 = in((Sessions s) -> s.append(chat, NewMessage.assistant("Porto.")));
  }

  private static List<String> contents(List<Message> messages) {
    return messages.stream().map(Message::content).toList();
  }

  @Test
  void aCompactionReplacesItsRunInTheHistoryWithTheSummaryAndKeepsTheMessages() {
    Compaction c = in((Sessions s) -> s.compact(chat, m2.id(), m3.id(), "May: Lisbon."));

    List<Message> history = in((Sessions s) -> s.history(m5.id()));
    assertThat(contents(history)).containsExactly("Be brief.", "May: Lisbon.", "And June?", "Porto.");
    Message summary = history.get(1);
    assertThat(summary.isSummary()).isTrue();
    assertThat(summary.id()).isEqualTo("compaction_" + c.id());
    assertThat(summary.role()).isEqualTo("assistant");
    assertThat(summary.parentId()).isEqualTo(m1.id());
    assertThat(summary.metadata().get("compaction").get("messages").asInt()).isEqualTo(2);
    assertThat(summary.parts().get(0).get("text").asText()).isEqualTo("May: Lisbon.");

    assertThat(contents(in((Sessions s) -> s.branch(m5.id()))))
        .containsExactly("Be brief.", "Where in May?", "Lisbon.", "And June?", "Porto.");
    assertThat(in((Sessions s) -> s.message(m3.id()))).contains(m3);
    assertThat(in((Sessions s) -> s.compactions(chat))).containsExactly(c);
  }

  @Test
  void aHistoryEndingInsideTheRunShowsTheMessagesAsTheyAre() {
    in((Sessions s) -> s.compact(chat, m2.id(), m4.id(), "May and June asked."));

    assertThat(contents(in((Sessions s) -> s.history(m3.id())))).containsExactly("Be brief.", "Where in May?", "Lisbon.");
  }

  @Test
  void undoingACompactionBringsTheMessagesBack() {
    Compaction c = in((Sessions s) -> s.compact(chat, m2.id(), m3.id(), "May: Lisbon."));

    assertThat(in((Sessions s) -> s.undoCompaction(c.id()))).isTrue();
    assertThat(in((Sessions s) -> s.undoCompaction(c.id()))).isFalse();
    assertThat(in((Sessions s) -> s.history(m5.id()))).hasSize(5);
    assertThat(in((Sessions s) -> s.compactions(chat))).isEmpty();
  }

  @Test
  void whereCompactionsOverlapTheNewestApplies() {
    in((Sessions s) -> s.compact(chat, m2.id(), m3.id(), "May: Lisbon."));
    Compaction wider = in((Sessions s) -> s.compact(chat, m2.id(), m4.id(), "May: Lisbon; June asked."));
    assertThat(contents(in((Sessions s) -> s.history(m5.id()))))
        .containsExactly("Be brief.", "May: Lisbon; June asked.", "Porto.");

    in((Sessions s) -> s.compact(chat, m3.id(), m5.id(), "Lisbon, then Porto."));
    assertThat(contents(in((Sessions s) -> s.history(m5.id()))))
        .as("the newest wins; the first, not overlapping it, applies too")
        .containsExactly("Be brief.", "Where in May?", "Lisbon, then Porto.");

    in((Sessions s) -> s.undoCompaction(wider.id()));
    assertThat(in((Sessions s) -> s.compactions(chat))).hasSize(2);
  }

  @Test
  void aCompactionOnOneBranchLeavesTheOtherAlone() {
    Message retry = in((Sessions s) -> s.append(chat, m2.id(), NewMessage.assistant("Madeira.")));
    in((Sessions s) -> s.compact(chat, m3.id(), m5.id(), "Lisbon, then Porto."));

    assertThat(contents(in((Sessions s) -> s.history(retry.id()))))
        .containsExactly("Be brief.", "Where in May?", "Madeira.");
  }

  @Test
  void aForkSeesTheCompactionsOfThePastItSharesButItsOwnStayInIt() {
    in((Sessions s) -> s.compact(chat, m1.id(), m2.id(), "Setup and a question."));
    Session fork = in((Sessions s) -> s.fork(chat, m3.id(), "fork"));
    Message july = in((Sessions s) -> s.append(fork.id(), NewMessage.user("And July?")));
    assertThat(contents(in((Sessions s) -> s.sessionHistory(fork.id()))))
        .containsExactly("Setup and a question.", "Lisbon.", "And July?");

    in((Sessions s) -> s.compact(fork.id(), m3.id(), july.id(), "Lisbon; July asked."));
    assertThat(contents(in((Sessions s) -> s.history(july.id()))))
        .containsExactly("Setup and a question.", "Lisbon; July asked.");
    assertThat(contents(in((Sessions s) -> s.sessionHistory(chat))))
        .containsExactly("Setup and a question.", "Lisbon.", "And June?", "Porto.");
  }
}
