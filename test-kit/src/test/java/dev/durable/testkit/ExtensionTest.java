package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.Response;
import dev.durable.testkit.fixtures.App;
import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What the extension does to the results of test classes that use it: each class below is run
 * by a JUnit engine inside these tests (surefire does not run nested classes on its own).
 */
class ExtensionTest {
  private static final String INSIDE = "durable.testkit.inside-extension-test";

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").configurationParameter(INSIDE, "true")
        .selectors(selectClass(testClass)).execute();
  }

  /** Keeps the classes below from running except inside these tests (e.g. with -Dtest=*Test). */
  static class OnlyInsideExtensionTest implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(INSIDE).isPresent()
          ? ConditionEvaluationResult.enabled("run by ExtensionTest")
          : ConditionEvaluationResult.disabled("runs only inside ExtensionTest");
    }
  }

  private static List<Throwable> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .toList();
  }

  private static String describe(Throwable t) {
    return t + Arrays.stream(t.getSuppressed()).map(s -> "\n  suppressed: " + s).collect(Collectors.joining());
  }

  // ---- the annotation ----

  @ExtendWith(OnlyInsideExtensionTest.class)
  @DurableObjectsTest(bindings = {@Bind(name = "COUNTER", type = Counter.class)}, worker = App.class,
      startAt = "2030-06-01T12:00:00Z")
  static class AnnotatedTests {
    @BeforeEach
    void each(DurableObjectsExtension dos, ManualClock clock) {
      assertThat(clock).isSameAs(dos.clock());
    }

    @Test
    void getsTheKitAndItsPartsAsParameters(DurableObjectsExtension dos, ManualClock clock, Env env,
        FetchMock fetchMock) {
      assertThat(clock.instant()).hasToString("2030-06-01T12:00:00Z");
      assertThat(env.durableObjectBindings()).containsExactly("COUNTER");
      assertThat(fetchMock).isSameAs(dos.fetchMock());
      assertThat(dos.worker().fetch("/counter?name=a")).hasJsonBody("{\"count\": 1}");
    }

    @Test
    void startsFromFreshStorage(DurableObjectsExtension dos) {
      assertThat(dos.worker().fetch("/counter?name=a")).hasJsonBody("{\"count\": 1}");
    }
  }

  @Test
  void theAnnotationConfiguresTheKitAndTheTestsGetItsParts() {
    EngineExecutionResults results = run(AnnotatedTests.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  @ExtendWith(DurableObjectsExtension.class)
  static class ExtendedWithoutAnnotation {
    @Test
    void test() {}
  }

  @Test
  void extendWithAloneSaysWhereTheBindingsGo() {
    assertThat(failures(run(ExtendedWithoutAnnotation.class))).singleElement().satisfies(t ->
        assertThat(t).hasMessageContaining("annotate the class with @DurableObjectsTest(bindings = ...)"));
  }

  // ---- instance fields and shared state ----

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class InstanceFieldTests {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).build();

    @Test
    void one() {
      assertThat(dos.stub("COUNTER", "a").as(CounterApi.class).increment(1)).isEqualTo(1);
    }

    @Test
    void two() {
      assertThat(dos.stub("COUNTER", "a").as(CounterApi.class).increment(1)).isEqualTo(1);
    }
  }

  @Test
  void aKitInAnInstanceFieldServesEachTestOnFreshStorage() {
    EngineExecutionResults results = run(InstanceFieldTests.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2));
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class SharedStateInInstanceField {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class)
        .sharedState().build();

    @Test
    void test() {}
  }

  @Test
  void sharedStateInAnInstanceFieldIsRefusedWithTheReason() {
    assertThat(failures(run(SharedStateInInstanceField.class))).singleElement().satisfies(t ->
        assertThat(t).hasMessage("sharedState() needs the kit in a static field: an instance field"
            + " builds a kit per test, which cannot share a runtime"));
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class HelpersBeforeAnyTest {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).build();

    @BeforeAll
    static void tooEarly() {
      dos.clock();
    }

    @Test
    void test() {}
  }

  @Test
  void helpersUsedOutsideATestSayWhenTheyWork() {
    assertThat(failures(run(HelpersBeforeAnyTest.class))).singleElement().satisfies(t ->
        assertThat(t).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("No test of this kit is running: its helpers work while a test runs"));
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class ClockParameterInBeforeAll {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).build();

    @BeforeAll
    static void tooEarly(ManualClock clock) {}

    @Test
    void test() {}
  }

  @Test
  void aPerTestParameterAskedForTooEarlySaysWhereToAskForIt() {
    assertThat(failures(run(ClockParameterInBeforeAll.class))).singleElement().satisfies(t ->
        assertThat(t).hasMessageContaining("A ManualClock exists only while a test runs (from @BeforeEach"
            + " to @AfterEach; with sharedState() also in @BeforeAll and @AfterAll); ask for it there"));
  }

  // ---- failures ----

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class FailingTest {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("COUNTER", Counter.class)
        .bind("REMINDER", Reminder.class)
        .build();

    @Test
    void failsAfterTouchingObjects() {
      DurableObjectStub counter = dos.stub("COUNTER", "cart");
      counter.as(CounterApi.class).increment(3);
      counter.as(CounterApi.class).log("added");
      dos.stub("REMINDER", "r").as(ReminderApi.class).at(ManualClock.DEFAULT_START.plus(Duration.ofDays(1)));
      dos.stub("COUNTER", "untouched-storage").as(CounterApi.class).count();
      assertThat(counter.as(CounterApi.class).count()).isEqualTo(4);
    }
  }

  @Test
  void aFailingTestCarriesTheStateOfTheObjectsItTouched() {
    Throwable failure = failures(run(FailingTest.class)).get(0);

    assertThat(failure).isInstanceOf(AssertionError.class);
    assertThat(failure.getSuppressed()).singleElement().satisfies(report ->
        assertThat(report.getMessage()).isEqualTo("""
            Durable Objects this test touched (clock at 2026-01-01T00:00:00Z):
              COUNTER 'cart':
                key-value entries (1):
                  count = 3
                tables: log (1 row)
                alarm: none
              REMINDER 'r':
                key-value entries (0): none
                tables: none
                alarm: 2026-01-02T00:00:00Z
              nothing stored: COUNTER 'untouched-storage'
              pending alarm: REMINDER 'r' at 2026-01-02T00:00:00Z, 24h after the manual clock; \
            alarms fire only when the test moves it: dos.clock().advance(Duration.parse("PT24H")), \
            or dos.runAlarm(stub) to fire it now"""));
    assertThat(failure.getSuppressed()[0].getStackTrace()).as("only the message matters").isEmpty();
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class FailingAfterEach {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).build();

    @Test
    void writes() {
      dos.stub("COUNTER", "a").as(CounterApi.class).increment(5);
    }

    @AfterEach
    void checks() {
      assertThat(dos.stub("COUNTER", "a")).hasValue("count", 6);
    }
  }

  @Test
  void aFailingAfterEachCarriesTheStateToo() {
    assertThat(failures(run(FailingAfterEach.class))).singleElement().satisfies(t -> {
      assertThat(t).hasMessage("Expected key \"count\" of COUNTER 'a' to hold 6, but it holds 5");
      assertThat(t.getSuppressed()).singleElement().asString().contains("COUNTER 'a':", "count = 5");
    });
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class UnansweredFetch {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder().worker(new App()).build();

    @Test
    void theWorkerCatchesTheError() {
      Response r = dos.worker().fetch("/proxy?url=https://api.example.com/users/1");
      assertThat(r).hasStatus(502);
      assertThat(r.text()).contains("No fetch mock route matches GET https://api.example.com/users/1");
    }
  }

  @Test
  void anOutboundFetchNoRouteAnsweredFailsTheTestEvenWhenTheObjectCaughtTheError() {
    List<Throwable> failures = failures(run(UnansweredFetch.class));

    assertThat(failures).singleElement().satisfies(t -> assertThat(t)
        .as(describe(t))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Outbound fetches that no fetch mock route answered: GET https://api.example.com/users/1;"
            + " answer them with dos.fetchMock().on(method, url).reply(...)"));
  }

  @ExtendWith(OnlyInsideExtensionTest.class)
  static class StallingAlarm {
    @RegisterExtension
    static DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("COUNTER", Counter.class).build();

    @Test
    void test() {
      ManualClock clock = dos.clock();
      clock.stallLimit(Duration.ofMillis(200));
      Object never = new Object();
      clock.schedule(clock.instant().plusSeconds(1), () -> {
        synchronized (never) {
          try {
            never.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void aTimerTaskThatNeitherFinishesNorSleepsFailsTheMoveNamingWhereItWaits() {
    assertThat(failures(run(StallingAlarm.class))).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("A handler run by the clock at 2026-01-01T00:00:01Z neither finished nor slept"
            + " on the clock for 200 ms")
        .hasMessageContaining("java.lang.Object.wait"));
  }
}
