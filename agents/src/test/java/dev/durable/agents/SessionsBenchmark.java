package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Appends 100,000 messages to one session of an object on disk, then searches them and reads
 * histories. Prints numbers; asserts only that the answers are right. Run with {@code -Pbench}.
 */
@Tag("benchmark")
class SessionsBenchmark {
  private static final int MESSAGES = Integer.getInteger("sessions.bench.messages", 100_000);
  private static final int PER_TURN = 1_000;
  private static final int VOCABULARY = 5_000;
  private static final int SEARCHES = 200;

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("NOTEBOOK", Notebook.class).storageOnDisk().build();

  private final Random random = new Random(42);
  private final String[] words = vocabulary();

  private <R> R in(DurableObjectStub stub, Function<Sessions, R> body) {
    return dos.callInDurableObject(stub, (Notebook n, DurableObjectState s) -> body.apply(Sessions.of(s)));
  }

  @Test
  void appendAndSearchAHundredThousandMessagesInOneSession() {
    DurableObjectStub stub = dos.stub("NOTEBOOK", "bench");
    String chat = in(stub, (Sessions s) -> s.create("Bench")).id();
    long[] turnNanos = new long[MESSAGES / PER_TURN];
    String[] firstIdOfTurn = new String[turnNanos.length];
    for (int turn = 0; turn < turnNanos.length; turn++) {
      List<NewMessage> batch = new ArrayList<>();
      for (int i = 0; i < PER_TURN; i++) {
        batch.add(NewMessage.of(i % 2 == 0 ? "user" : "assistant", sentence(8 + random.nextInt(40))));
      }
      long start = System.nanoTime();
      firstIdOfTurn[turn] = in(stub, (Sessions s) -> {
        String first = null;
        for (NewMessage m : batch) {
          String id = s.append(chat, m).id();
          first = first == null ? id : first;
        }
        return first;
      });
      turnNanos[turn] = System.nanoTime() - start;
    }
    assertThat(in(stub, (Sessions s) -> s.messageCount(chat))).isEqualTo(MESSAGES);
    long total = Arrays.stream(turnNanos).sum();
    System.out.printf("%nSessions: %,d messages appended to one session, %,d per turn, object on disk%n",
        MESSAGES, PER_TURN);
    System.out.printf("  all: %,d ms, %,.0f appends/s%n", total / 1_000_000, MESSAGES * 1e9 / total);
    System.out.printf("  first 10,000: %,.0f appends/s; last 10,000: %,.0f appends/s%n",
        rate(turnNanos, 0, 10), rate(turnNanos, turnNanos.length - 10, turnNanos.length));

    String rare = words[VOCABULARY - 2];
    String common = words[0];
    String middle = firstIdOfTurn[turnNanos.length / 2];
    measure("search, a rare word (in " + matches(stub, chat, rare) + " messages)",
        () -> in(stub, s -> s.search(chat, rare)));
    measure("search, the commonest word (in " + matches(stub, chat, common) + " messages)",
        () -> in(stub, s -> s.search(chat, common)));
    measure("search, the commonest word, newest first",
        () -> in(stub, s -> s.search(chat, common, SearchOptions.DEFAULT.newestFirst())));
    measure("search, two common words with AND", () -> in(stub, s -> s.search(chat, words[1] + " AND " + words[2])));
    measure("search, a prefix", () -> in(stub, s -> s.search(chat, words[3].substring(0, 3) + "*")));
    measure("search, a rare word, messages before the middle one",
        () -> in(stub, s -> s.search(chat, rare, SearchOptions.DEFAULT.before(middle))));
    measure("searchAll, a rare word", () -> in(stub, s -> s.searchAll(rare)));
    measure("latestLeaf", () -> in(stub, s -> s.latestLeaf(chat)));
    measure("append one message at 100,000", () -> in(stub, s -> s.append(chat, NewMessage.user(sentence(20)))));
    measureFew("history of the leaf: 100,000 messages root first", () -> in(stub, s -> s.sessionHistory(chat)));
    measureFew("history of a message at depth 1,000", () -> in(stub, s -> s.history(firstIdOfTurn[1])));
    System.out.printf("  database size: %,d bytes%n",
        dos.callInDurableObject(stub, (Notebook n, DurableObjectState s) -> s.storage().sql().databaseSize()));
  }

  /** How many messages hold the word, up to the most a search returns. */
  private String matches(DurableObjectStub stub, String chat, String word) {
    int n = in(stub, s -> s.search(chat, word, SearchOptions.DEFAULT.withLimit(SearchOptions.MAX_LIMIT))).size();
    return n < SearchOptions.MAX_LIMIT ? String.valueOf(n) : "over " + (SearchOptions.MAX_LIMIT - 1);
  }

  private static double rate(long[] turnNanos, int from, int to) {
    long nanos = Arrays.stream(turnNanos, from, to).sum();
    return (to - from) * (double) PER_TURN * 1e9 / nanos;
  }

  private static void measure(String what, Runnable call) {
    report(what, call, SEARCHES);
  }

  private static void measureFew(String what, Runnable call) {
    report(what, call, 10);
  }

  private static void report(String what, Runnable call, int times) {
    for (int i = 0; i < times / 5 + 1; i++) {
      call.run();
    }
    long[] nanos = new long[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.flush();
    System.out.printf("  %s: median %,.2f ms, 90th %,.2f ms (%d calls, each a turn)%n", what, nanos[times / 2] / 1e6,
        nanos[times * 9 / 10] / 1e6, times);
  }

  /** Words with a Zipf-like frequency: word i is drawn about 1/(i+1) as often as word 0. */
  private String sentence(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int index = (int) Math.min(VOCABULARY - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(VOCABULARY)) - 1));
      s.append(i == 0 ? "" : " ").append(words[index]);
    }
    return s.toString();
  }

  private static String[] vocabulary() {
    Random r = new Random(7);
    String[] w = new String[VOCABULARY];
    for (int i = 0; i < VOCABULARY; i++) {
      StringBuilder word = new StringBuilder();
      int length = 4 + r.nextInt(6);
      for (int c = 0; c < length; c++) {
        word.append((char) ('a' + r.nextInt(26)));
      }
      w[i] = word.toString() + "q" + i; // unique, and not a stem of another
    }
    return w;
  }
}
