package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.DurableObjectStub;
import dev.durable.Response;
import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DurableAssertionsTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .bind("REMINDER", Reminder.class)
      .build();

  private static final Instant T0 = ManualClock.DEFAULT_START;

  record User(String name, int age) {}

  private DurableObjectStub counterWithTwoKeysAndALog() {
    DurableObjectStub stub = dos.stub("COUNTER", "a");
    stub.as(CounterApi.class).increment(2);
    dos.runInDurableObject(stub, (instance, state) -> state.storage().put("user", new User("ada", 36)));
    stub.as(CounterApi.class).log("one");
    stub.as(CounterApi.class).log("two");
    return stub;
  }

  @Test
  void storageAssertionsPassOnTheActualState() {
    DurableObjectStub stub = counterWithTwoKeysAndALog();

    assertThat(stub)
        .hasKey("count")
        .doesNotHaveKey("missing")
        .hasValue("count", 2)
        .hasValue("count", 2L)
        .hasValue("count", 2.0)
        .hasValue("user", new User("ada", 36))
        .hasValue("user", Map.of("age", 36, "name", "ada"))
        .hasTable("log")
        .hasRowCount("log", 2)
        .hasNoAlarm();
  }

  @Test
  void hasKeyFailsListingTheKeysPresent() {
    DurableObjectStub stub = counterWithTwoKeysAndALog();

    assertThatThrownBy(() -> assertThat(stub).hasKey("cuont"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected COUNTER 'a' to have key \"cuont\", but its keys are \"count\", \"user\"");
    assertThatThrownBy(() -> assertThat(dos.stub("COUNTER", "empty")).hasKey("count"))
        .hasMessage("Expected COUNTER 'empty' to have key \"count\", but it has no keys");
  }

  @Test
  void doesNotHaveKeyFailsShowingTheValue() {
    DurableObjectStub stub = counterWithTwoKeysAndALog();

    assertThatThrownBy(() -> assertThat(stub).doesNotHaveKey("user"))
        .hasMessage("Expected COUNTER 'a' to have no key \"user\", but it holds {\"name\":\"ada\",\"age\":36}");
  }

  @Test
  void hasValueFailsShowingExpectedAndActualAsJson() {
    DurableObjectStub stub = counterWithTwoKeysAndALog();

    assertThatThrownBy(() -> assertThat(stub).hasValue("count", 3))
        .hasMessage("Expected key \"count\" of COUNTER 'a' to hold 3, but it holds 2");
    assertThatThrownBy(() -> assertThat(stub).hasValue("user", new User("ada", 37)))
        .hasMessage("Expected key \"user\" of COUNTER 'a' to hold {\"name\":\"ada\",\"age\":37},"
            + " but it holds {\"name\":\"ada\",\"age\":36}");
    assertThatThrownBy(() -> assertThat(stub).hasValue("nope", 1))
        .hasMessage("Expected COUNTER 'a' to have key \"nope\" holding 1, but its keys are \"count\", \"user\"");
  }

  @Test
  void tableAssertionsFailListingTheTablesWithRowCounts() {
    DurableObjectStub stub = counterWithTwoKeysAndALog();

    assertThatThrownBy(() -> assertThat(stub).hasTable("logs"))
        .hasMessage("Expected COUNTER 'a' to have table \"logs\", but its tables are log (2 rows)");
    assertThatThrownBy(() -> assertThat(stub).hasRowCount("log", 3))
        .hasMessage("Expected table \"log\" of COUNTER 'a' to have 3 rows, but it has 2 rows");
    assertThatThrownBy(() -> assertThat(stub).hasRowCount("logs", 1))
        .hasMessage("Expected table \"logs\" of COUNTER 'a' to have 1 row, but its tables are log (2 rows)");
    assertThatThrownBy(() -> assertThat(dos.stub("COUNTER", "b")).hasTable("log"))
        .hasMessage("Expected COUNTER 'b' to have table \"log\", but it has no tables");
  }

  @Test
  void alarmAssertionsShowTheActualAlarm() {
    DurableObjectStub stub = dos.stub("REMINDER", "r");
    stub.as(ReminderApi.class).at(T0.plusSeconds(30));

    assertThat(stub).hasAlarmAt(T0.plusSeconds(30));
    assertThatThrownBy(() -> assertThat(stub).hasAlarmAt(T0.plusSeconds(31)))
        .hasMessage("Expected REMINDER 'r' to have its alarm at 2026-01-01T00:00:31Z, but it is set for"
            + " 2026-01-01T00:00:30Z");
    assertThatThrownBy(() -> assertThat(stub).hasNoAlarm())
        .hasMessage("Expected REMINDER 'r' to have no alarm, but it is set for 2026-01-01T00:00:30Z");
    assertThatThrownBy(() -> assertThat(dos.stub("REMINDER", "none")).hasAlarmAt(T0))
        .hasMessage("Expected REMINDER 'none' to have its alarm at 2026-01-01T00:00:00Z, but it has no alarm");
  }

  @Test
  void aDescriptionPrefixesTheMessage() {
    assertThatThrownBy(() -> assertThat(dos.stub("COUNTER", "d")).as("after checkout").hasKey("cart"))
        .hasMessage("[after checkout] Expected COUNTER 'd' to have key \"cart\", but it has no keys");
  }

  @Test
  void aSnapshotCanBeAssertedOnToo() {
    ObjectSnapshot snapshot = dos.snapshot(counterWithTwoKeysAndALog());

    assertThat(snapshot).hasValue("count", 2).hasRowCount("log", 2);
  }

  @Test
  void responseAssertionsPassOnTheActualResponse() {
    Response r = Response.json(Map.of("count", 2, "tags", List.of("a", "b")));

    assertThat(r).hasStatus(200)
        .hasJsonBody("{ \"tags\": [\"a\", \"b\"], \"count\": 2.0 }")
        .hasJsonBody(Map.of("count", 2L, "tags", List.of("a", "b")));
    assertThat(Response.text("hi")).hasBody("hi");
  }

  @Test
  void hasStatusFailsShowingTheActualStatusAndBody() {
    assertThatThrownBy(() -> assertThat(Response.status(404, "no such room")).hasStatus(200))
        .hasMessage("Expected status 200, but was 404 with body: no such room");
    assertThatThrownBy(() -> assertThat(Response.status(204)).hasStatus(200))
        .hasMessage("Expected status 200, but was 204 with body: (empty)");
  }

  @Test
  void hasJsonBodyFailsShowingTheActualBody() {
    Response r = Response.json(Map.of("count", 3));

    assertThatThrownBy(() -> assertThat(r).hasJsonBody("{\"count\": 2}"))
        .hasMessage("Expected a JSON body {\"count\":2}, but was (status 200): {\"count\":3}");
    assertThatThrownBy(() -> assertThat(Response.status(500, "boom")).hasJsonBody("{}"))
        .hasMessage("Expected a JSON body {}, but the body is not JSON (status 500): boom");
    assertThatThrownBy(() -> assertThat(r).hasJsonBody("{count: 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hasJsonBody() needs JSON text, got: {count: 2");
  }

  @Test
  void hasBodyFailsShowingTheActualBody() {
    assertThatThrownBy(() -> assertThat(Response.text("hello")).hasBody("hallo"))
        .hasMessage("Expected body hallo, but was (status 200): hello");
  }

  @Test
  void aLongBodyIsCutShortInTheMessage() {
    String body = "x".repeat(5000);
    assertThatThrownBy(() -> assertThat(Response.text(body)).hasStatus(201))
        .hasMessageEndingWith("x... (5000 chars)")
        .message().hasSizeLessThan(2200);
  }
}
