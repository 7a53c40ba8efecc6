package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full-text search across one session, its forks' shared past, or every session, with snippets. */
class SessionSearchTest extends SessionsFixture {
  private String trip;
  private Message q;
  private Message a;
  private Message june;
  private String work;

  @BeforeEach
  void twoSessions() {
    trip = in((Sessions s) -> s.create("Trip")).id();
    q = in((Sessions s) -> s.append(trip, NewMessage.user("Where should I travel in May? Somewhere warm please")));
    a = in((Sessions s) -> s.append(trip, NewMessage.assistant(
        "Lisbon is warm in May, with long evenings by the river and fresh grilled sardines everywhere in town")));
    june = in((Sessions s) -> s.append(trip, NewMessage.user("And what about Lisbon in June?")));
    work = in((Sessions s) -> s.create("Work")).id();
    in((Sessions s) -> s.append(work, NewMessage.user("Book the Lisbon office for the offsite")));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::messageId).toList();
  }

  @Test
  void aSearchFindsMessagesOfTheSessionWithTheMatchedWordsBracketedInASnippet() {
    List<SearchHit> hits = in((Sessions s) -> s.search(trip, "sardines"));

    assertThat(hits).hasSize(1);
    SearchHit hit = hits.get(0);
    assertThat(hit.messageId()).isEqualTo(a.id());
    assertThat(hit.sessionId()).isEqualTo(trip);
    assertThat(hit.role()).isEqualTo("assistant");
    assertThat(hit.snippet()).isEqualTo("...long evenings by the river and fresh grilled [sardines] everywhere in town");
    assertThat(hit.createdAt()).isEqualTo(a.createdAt());
  }

  @Test
  void wordsAreStemmedAndFts5OperatorsWork() {
    assertThat(ids(in((Sessions s) -> s.search(trip, "travelling")))).containsExactly(q.id());
    assertThat(ids(in((Sessions s) -> s.search(trip, "lisbon NOT june")))).containsExactly(a.id());
    assertThat(ids(in((Sessions s) -> s.search(trip, "sard*")))).containsExactly(a.id());
    assertThat(ids(in((Sessions s) -> s.search(trip, "\"warm in may\"")))).containsExactly(a.id());
  }

  @Test
  void searchAllLooksInEverySessionAndASessionSearchOnlyInItsOwn() {
    assertThat(in((Sessions s) -> s.search(trip, "lisbon"))).extracting(SearchHit::sessionId).containsOnly(trip).hasSize(2);
    assertThat(in((Sessions s) -> s.searchAll("lisbon"))).extracting(SearchHit::sessionId)
        .containsExactlyInAnyOrder(trip, trip, work);
  }

  @Test
  void optionsLimitTheHitsAndSearchOnlyMessagesBeforeOne() {
    assertThat(in((Sessions s) -> s.searchAll("lisbon", SearchOptions.DEFAULT.withLimit(1)))).hasSize(1);
    assertThat(ids(in((Sessions s) -> s.search(trip, "lisbon", SearchOptions.DEFAULT.before(june.id())))))
        .containsExactly(a.id());
  }

  @Test
  void newestFirstOrdersHitsByRecencyInsteadOfMatch() {
    assertThat(ids(in((Sessions s) -> s.search(trip, "lisbon OR may", SearchOptions.DEFAULT.newestFirst()))))
        .containsExactly(june.id(), a.id(), q.id());
    assertThat(ids(in((Sessions s) -> s.searchAll("lisbon", SearchOptions.DEFAULT.newestFirst().withLimit(2)))))
        .hasSize(2).doesNotContain(q.id(), a.id());
  }

  @Test
  void aForkSearchesItsOwnMessagesAndThePastItSharesButNotWhatCameAfterTheForkPoint() {
    Session fork = in((Sessions s) -> s.fork(trip, q.id(), "Trip, take two"));
    Message porto = in((Sessions s) -> s.append(fork.id(), NewMessage.assistant("Porto is warm in May too")));

    assertThat(ids(in((Sessions s) -> s.search(fork.id(), "warm")))).containsExactlyInAnyOrder(q.id(), porto.id());
    assertThat(ids(in((Sessions s) -> s.search(trip, "porto")))).isEmpty();
  }

  @Test
  void allWordsMakesAnyTextASafeQueryForEveryWord() {
    assertThat(Sessions.allWords("Lisbon AND \"june")).isEqualTo("\"Lisbon\" \"AND\" \"june\"");
    assertThat(Sessions.allWords("?!")).isEmpty();
    assertThat(ids(in((Sessions s) -> s.search(trip, Sessions.allWords("lisbon, (june)?"))))).containsExactly(june.id());
  }

  @Test
  void compactedMessagesStayFindable() {
    in((Sessions s) -> s.compact(trip, q.id(), a.id(), "Asked for a warm place; Lisbon suggested."));

    assertThat(ids(in((Sessions s) -> s.search(trip, "sardines")))).containsExactly(a.id());
  }
}
