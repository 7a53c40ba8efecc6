package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.DurableObjectException;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.ScheduledEvent;
import dev.durable.testkit.fixtures.App;
import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelpersTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .bind("REMINDER", Reminder.class)
      .worker(new App())
      .var("GREETING", "hello")
      .build();

  private static final Instant T0 = ManualClock.DEFAULT_START;

  @Test
  void runInDurableObjectGivesTheLiveInstanceAndItsStateInsideTheGate() {
    DurableObjectStub stub = dos.stub("COUNTER", "inside");
    stub.as(CounterApi.class).increment(2);

    dos.runInDurableObject(stub, (Counter counter, DurableObjectState state) -> {
      assertThat(counter.count()).isEqualTo(2);
      assertThat(state.id()).isEqualTo(stub.id());
      assertThat(state.storage().get("count", Long.class)).contains(2L);
      state.storage().put("count", 40L);
    });

    assertThat(stub.as(CounterApi.class).increment(2)).as("writes made inside are committed").isEqualTo(42);
  }

  @Test
  void runInDurableObjectRollsBackWhatAFailingBodyWrote() {
    DurableObjectStub stub = dos.stub("COUNTER", "rollback");
    stub.as(CounterApi.class).increment(1);

    assertThatThrownBy(() -> dos.runInDurableObject(stub, (Counter counter, DurableObjectState state) -> {
      state.storage().put("count", 99L);
      throw new IOException("body failed");
    })).isInstanceOf(IOException.class).hasMessage("body failed");

    assertThat(stub).hasValue("count", 1);
  }

  @Test
  void callInDurableObjectReturnsWhatTheBodyReturns() {
    DurableObjectStub stub = dos.stub("COUNTER", "call");
    stub.as(CounterApi.class).increment(5);

    long seen = dos.callInDurableObject(stub, (Counter counter, DurableObjectState state) -> counter.count());

    assertThat(seen).isEqualTo(5);
  }

  @Test
  void runInDurableObjectNamesTheClassWhenTheBodyExpectsAnother() {
    DurableObjectStub stub = dos.stub("COUNTER", "type");

    assertThatThrownBy(() -> dos.runInDurableObject(stub, (Reminder reminder, DurableObjectState state) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("The object is a " + Counter.class.getName())
        .hasMessageContaining("does not take");
  }

  @Test
  void theClockRefusesToMoveInsideRunInDurableObject() {
    DurableObjectStub stub = dos.stub("REMINDER", "gate");

    assertThatThrownBy(() -> dos.runInDurableObject(stub, (instance, state) -> dos.clock().advance(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("advance() called inside runInDurableObject()")
        .hasMessageContaining("move the clock outside that block");
  }

  @Test
  void runAlarmFiresThePendingAlarmNowWithItsRealAlarmInfo() {
    DurableObjectStub stub = dos.stub("REMINDER", "run");
    ReminderApi reminder = stub.as(ReminderApi.class);
    reminder.at(T0.plus(Duration.ofDays(3)));

    assertThat(dos.runAlarm(stub)).isTrue();

    assertThat(reminder.attempts()).containsExactly(
        "now=" + T0 + " scheduled=" + T0.plus(Duration.ofDays(3)) + " retry=0");
    assertThat(stub).hasNoAlarm();
    assertThat(dos.runAlarm(stub)).as("no alarm is left").isFalse();
  }

  @Test
  void runAlarmOfAFailingHandlerSchedulesTheRetryOnTheClock() {
    DurableObjectStub stub = dos.stub("REMINDER", "retry");
    ReminderApi reminder = stub.as(ReminderApi.class);
    reminder.failTimes(1);
    reminder.at(T0.plusSeconds(60));

    assertThat(dos.runAlarm(stub)).isTrue();
    assertThat(stub).hasAlarmAt(T0.plusSeconds(2));

    assertThat(dos.runAlarm(stub)).isTrue();
    assertThat(reminder.attempts()).last().isEqualTo("now=" + T0 + " scheduled=" + T0.plusSeconds(2) + " retry=1");
  }

  @Test
  void runAlarmIsFalseForAnObjectWithoutAlarm() {
    assertThat(dos.runAlarm(dos.stub("REMINDER", "none"))).isFalse();
  }

  @Test
  void listIdsNamesTheObjectsThatStoredSomething() {
    dos.stub("COUNTER", "b").as(CounterApi.class).increment(1);
    dos.stub("COUNTER", "a").as(CounterApi.class).increment(1);
    DurableObjectId unique = dos.env().durableObject("COUNTER").newUniqueId();
    dos.env().durableObject("COUNTER").get(unique).as(CounterApi.class).increment(1);

    List<DurableObjectId> ids = dos.listIds("COUNTER");

    assertThat(ids).containsExactlyInAnyOrder(dos.stub("COUNTER", "a").id(), dos.stub("COUNTER", "b").id(), unique);
    assertThat(ids).extracting(DurableObjectId::toString).isSorted();
    assertThat(ids).filteredOn(id -> id.equals(dos.stub("COUNTER", "a").id()))
        .singleElement().satisfies(id -> assertThat(id.name()).contains("a"));
    assertThat(dos.listIds(dos.env().durableObject("COUNTER"))).isEqualTo(ids);
    assertThat(dos.listIds("REMINDER")).isEmpty();
  }

  @Test
  void evictRunsTheConstructorAgainAndKeepsStorage() {
    DurableObjectStub stub = dos.stub("COUNTER", "evict");
    CounterApi counter = stub.as(CounterApi.class);
    counter.increment(3);
    int before = counter.constructions();

    dos.evict(stub);

    assertThat(counter.constructions()).isEqualTo(before + 1);
    assertThat(counter.count()).isEqualTo(3);
  }

  @Test
  void evictAllEvictsEveryLiveInstance() {
    CounterApi a = dos.stub("COUNTER", "all-a").as(CounterApi.class);
    CounterApi b = dos.stub("COUNTER", "all-b").as(CounterApi.class);
    int beforeA = a.constructions();
    int beforeB = b.constructions();

    dos.evictAll();

    assertThat(a.constructions()).isEqualTo(beforeA + 1);
    assertThat(b.constructions()).isEqualTo(beforeB + 1);
  }

  @Test
  void workerFetchReachesTheWorkerEntryInProcess() {
    Response first = dos.worker().fetch(Request.get("/counter?name=w"));
    Response second = dos.worker().fetch("/counter?name=w");

    assertThat(first).hasStatus(200).hasJsonBody("{\"count\": 1}");
    assertThat(second).hasJsonBody("{\"count\": 2}");
    assertThat(dos.stub("COUNTER", "w")).hasValue("count", 2);
  }

  @Test
  void workerScheduledRunsTheCronHandler() {
    dos.worker().scheduled(new ScheduledEvent(T0, "0 * * * *"));

    assertThat(dos.stub("COUNTER", "0 * * * *")).hasValue("count", 1);
  }

  @Test
  void failNextCommitFailsTheNextEventAndResetsTheObject() {
    DurableObjectStub stub = dos.stub("COUNTER", "fault");
    CounterApi counter = stub.as(CounterApi.class);
    counter.increment(1);
    int before = counter.constructions();

    dos.failNextCommit(stub);

    assertThatThrownBy(() -> counter.increment(10))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("failure injected by failNextCommit()");
    assertThat(stub).hasValue("count", 1);
    assertThat(counter.constructions()).as("the object was reset").isEqualTo(before + 1);
    assertThat(counter.increment(1)).as("only the next commit fails").isEqualTo(2);
  }

  @Test
  void snapshotShowsEntriesTablesAndAlarm() {
    DurableObjectStub stub = dos.stub("COUNTER", "snap");
    stub.as(CounterApi.class).increment(7);
    stub.as(CounterApi.class).log("one");
    stub.as(CounterApi.class).log("two");

    ObjectSnapshot snapshot = dos.snapshot(stub);

    assertThat(snapshot.label()).isEqualTo("COUNTER 'snap'");
    assertThat(snapshot.entries()).containsExactly(java.util.Map.entry("count", 7));
    assertThat(snapshot.tables()).containsExactly(java.util.Map.entry("log", 2L));
    assertThat(snapshot.alarm()).isEmpty();
    assertThat(snapshot.describe()).isEqualTo("""
        COUNTER 'snap':
          key-value entries (1):
            count = 7
          tables: log (2 rows)
          alarm: none""");
  }

  @Test
  void aSnapshotDoesNotBuildTheInstance() {
    DurableObjectStub stub = dos.stub("COUNTER", "cold");
    stub.as(CounterApi.class).increment(1);
    dos.evict(stub);
    int constructions = dos.callInDurableObject(stub, (Counter c, DurableObjectState s) -> c.constructionNumber);
    dos.evict(stub);

    dos.snapshot(stub);

    assertThat(stub.as(CounterApi.class).constructions()).isEqualTo(constructions + 1);
  }

  @Test
  void envHasTheBindingsAndVars() {
    assertThat(dos.env().durableObjectBindings()).containsExactly("COUNTER", "REMINDER");
    assertThat(dos.env().var("GREETING")).contains("hello");
    assertThat(dos.runtime().env()).isSameAs(dos.env());
    assertThat(dos.runtime().stateDirectory()).as("in memory by default").isNull();
  }

  @Test
  void aStubOfAnotherRuntimeIsRefusedWithAnExplanation() {
    KitSettings settings = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).settings();
    DurableObjectStub foreign;
    try (TestRuntime other = TestRuntime.start(settings)) {
      foreign = other.stub("COUNTER", "x");
      assertThatThrownBy(() -> dos.snapshot(foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("belongs to another runtime than this test's");
    }
    assertThatThrownBy(() -> dos.runAlarm(foreign))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("belongs to a runtime that was closed")
        .hasMessageContaining("Was it made in an earlier test?");
  }
}
