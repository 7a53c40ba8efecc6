package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each mistake a caller can make: a clear error that names it, and not one row written. */
class SessionErrorsTest extends SessionsFixture {
  private String chat;
  private Message q;
  private Message a;
  private String other;
  private Message elsewhere;

  @BeforeEach
  void aConversationAndAnotherSession() {
    chat = in((Sessions s) -> s.create("Chat")).id();
    q = in((Sessions s) -> s.append(chat, NewMessage.user("Where should I go in May?")));
    a = in((Sessions s) -> s.append(chat, NewMessage.assistant("Lisbon.")));
    other = in((Sessions s) -> s.create("Other")).id();
    elsewhere = in((Sessions s) -> s.append(other, NewMessage.user("unrelated")));
  }

  /** Asserts that the call fails with the message and leaves every table as it was. */
  private void refused(Function<Sessions, ?> call, String message) {
    Map<String, Long> before = rows();
    assertThatThrownBy(() -> in(call::apply)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThat(rows()).as("rows after a refused call").isEqualTo(before);
  }

  @Test
  void anUnknownSessionIsRefused() {
    refused(s -> s.append("nope", NewMessage.user("hi")), "Unknown session 'nope'");
    refused(s -> s.fork("nope", q.id(), "fork"), "Unknown session 'nope'");
    refused(s -> s.rename("nope", "x"), "Unknown session 'nope'");
    refused(s -> s.search("nope", "lisbon"), "Unknown session 'nope'");
    refused(s -> s.context("nope"), "Unknown session 'nope'");
  }

  @Test
  void anUnknownParentIsRefused() {
    refused(s -> s.append(chat, "m-404", NewMessage.user("hi")),
        "Unknown parent message 'm-404': no message has this id");
  }

  @Test
  void aMessageThatWouldBeItsOwnParentIsACycle() {
    refused(s -> s.append(chat, "m-1", NewMessage.user("hi").withId("m-1")),
        "Message 'm-1' cannot be its own parent: that is a cycle");
  }

  @Test
  void aParentFromASessionThisOneDoesNotContinueIsRefused() {
    refused(s -> s.append(chat, elsewhere.id(), NewMessage.user("hi")),
        "Parent message '" + elsewhere.id() + "' belongs to session '" + other + "', which session '" + chat
            + "' neither is nor was forked from at or after that message");
  }

  @Test
  void aForkSeesOnlyThePastUpToItsForkPoint() {
    Session fork = in((Sessions s) -> s.fork(chat, q.id(), "fork"));
    refused(s -> s.append(fork.id(), a.id(), NewMessage.user("hi")),
        "Parent message '" + a.id() + "' belongs to session '" + chat + "', which session '" + fork.id()
            + "' neither is nor was forked from at or after that message");
    refused(s -> s.fork(chat, elsewhere.id(), "fork"),
        "Message '" + elsewhere.id() + "' belongs to session '" + other + "', which session '" + chat
            + "' neither is nor was forked from at or after that message");
  }

  @Test
  void aTakenMessageIdIsRefused() {
    in((Sessions s) -> s.append(chat, NewMessage.user("first").withId("m-1")));
    refused(s -> s.append(other, NewMessage.user("second").withId("m-1")),
        "Message id 'm-1' is already taken; message ids are unique across the object's sessions");
  }

  @Test
  void aMessageOverTheSizeLimitIsRefused() {
    String big = "x".repeat(Sessions.MAX_MESSAGE_BYTES - 4 + 1);  // parts [] and metadata {} count too
    refused(s -> s.append(chat, NewMessage.user(big)),
        "Message is 1000001 bytes (content, parts and metadata in UTF-8); the limit is 1000000");
    assertThat(in((Sessions s) -> s.append(chat, NewMessage.user(big.substring(1)))).content().length())
        .as("a message of exactly the limit").isEqualTo(999_996);
  }

  @Test
  void aQueryFts5CannotParseIsRefusedAndSaysHowToSearchPlainWords() {
    refused(s -> s.search(chat, "lisbon AND"),
        "Search query 'lisbon AND' is not valid FTS5 syntax (fts5: syntax error near \"\": SQLITE_ERROR);"
            + " to search for plain words use Sessions.allWords(text)");
    refused(s -> s.searchAll("\"unclosed"),
        "Search query '\"unclosed' is not valid FTS5 syntax (unterminated string: SQLITE_ERROR);"
            + " to search for plain words use Sessions.allWords(text)");
    refused(s -> s.searchAll(" "), "A search query must not be empty");
  }

  @Test
  void aCompactionMustCoverARunOfOneBranchRootSideFirst() {
    refused(s -> s.compact(chat, a.id(), q.id(), "summary"),
        "Message '" + a.id() + "' is not on the branch leading to '" + q.id() + "': a compaction covers a run of"
            + " one branch, from a message down to one after it (the two are given the other way round)");
    Message retry = in((Sessions s) -> s.append(chat, q.id(), NewMessage.assistant("Porto.")));
    refused(s -> s.compact(chat, a.id(), retry.id(), "summary"),
        "Message '" + a.id() + "' is not on the branch leading to '" + retry.id() + "': a compaction covers a run of"
            + " one branch, from a message down to one after it");
    refused(s -> s.compact(chat, q.id(), "m-404", "summary"),
        "Unknown last compacted message 'm-404': no message has this id");
    refused(s -> s.compact(chat, q.id(), a.id(), " "), "A compaction's summary must not be empty");
    refused(s -> s.compact(chat, elsewhere.id(), elsewhere.id(), "summary"),
        "Last compacted message '" + elsewhere.id() + "' belongs to session '" + other + "', which session '" + chat
            + "' neither is nor was forked from at or after that message");
  }

  @Test
  void badMessagesAndNamesAreRefusedBeforeAnythingIsStored() {
    assertThatThrownBy(() -> NewMessage.of("robot", "hi"))
        .hasMessage("A message's role must be one of user, assistant, system, tool; got 'robot'");
    assertThatThrownBy(() -> NewMessage.user("hi").withId("compaction_1"))
        .hasMessage("Message id 'compaction_1' starts with 'compaction_', which is kept for compaction summaries");
    assertThatThrownBy(() -> NewMessage.user("hi").withId(" "))
        .hasMessage("A message id must be 1 to 256 characters and not blank; got ' ' (1 characters)");
    assertThatThrownBy(() -> NewMessage.ofParts("user", List.of()))
        .hasMessage("A message needs content or parts; this one has neither");
    assertThatThrownBy(() -> NewMessage.user("hi").withParts(Map.of("type", "text")))
        .hasMessage("A message's parts must be a JSON array, got OBJECT");
    assertThatThrownBy(() -> NewMessage.user("hi").withMetadata(List.of(1)))
        .hasMessage("A message's metadata must be a JSON object, got ARRAY");
    refused(s -> s.create(" "), "A session's name must be 1 to 256 characters and not blank; got ' '");
    refused(s -> s.create("Chat", List.of("not an object")), "A session's metadata must be a JSON object, got ARRAY");
    assertThatThrownBy(() -> SearchOptions.DEFAULT.withLimit(0)).hasMessage("A search's limit must be 1 to 1000, got 0");
    assertThatThrownBy(() -> new SearchOptions(20, null, null)).hasMessage("A search's order must not be null");
  }

  @Test
  void readsOfUnknownMessagesSayWhichId() {
    refused(s -> s.history("m-404"), "Unknown message 'm-404': no message has this id");
    refused(s -> s.branch("m-404"), "Unknown message 'm-404': no message has this id");
    refused(s -> s.children("m-404"), "Unknown message 'm-404': no message has this id");
    assertThat(in((Sessions s) -> s.message("m-404"))).isEmpty();
  }
}
