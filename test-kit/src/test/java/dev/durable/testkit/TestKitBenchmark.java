package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import dev.durable.testkit.fixtures.ReminderApi;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit's speed: a suite of 50 typical tests (each on a fresh runtime: a fresh object, a
 * few RPC calls, runInDurableObject and an alarm fired by the clock), the kit's start-up until
 * the first test is ready, and the median creation time of a fresh isolated runtime. Prints the
 * numbers; asserts nothing about time. Run it alone so the JVM is cold, as a user's first run is:
 *
 * <pre>
 * mvn -B -ntp -pl test-kit -am test -Pbench -Dtest=TestKitBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>{@code -Dbench.trace=true} also prints each test's wall time and CPU (reading the threads'
 * CPU for it costs a little inside every test). Read the numbers against
 * {@link JUnitFloorBenchmark}, the same suite without the kit.
 */
@Tag("benchmark")
class TestKitBenchmark {
  /**
   * Looked up once, before the kit's start-up is timed: a lookup per test would be the harness's
   * own cost inside the tests, and loading JMX is not the kit's start-up.
   */
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Map<String, Long> THREAD_CPU_AT_CLASS_INIT = ThreadCpu.byKind();
  private static final long CLASS_INIT_CPU = processCpuNanos();
  private static final long CLASS_INIT = System.nanoTime();
  private static final int TESTS = 50;
  private static final int RUNTIMES = 500;

  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .bind("REMINDER", Reminder.class)
      .build();

  private static final List<Long> testReady = new ArrayList<>();
  private static final List<Long> cpuReady = new ArrayList<>();
  private static Map<String, Long> threadCpuAtFirstTest = Map.of();
  private static final List<Long> otherCpuTrace = new ArrayList<>();

  @BeforeEach
  void ready() {
    if (cpuReady.isEmpty()) {
      threadCpuAtFirstTest = ThreadCpu.byKind();
    }
    if (Boolean.getBoolean("bench.trace")) {
      otherCpuTrace.add(ThreadCpu.byKind().getOrDefault("other threads", 0L));
    }
    cpuReady.add(processCpuNanos());
    testReady.add(System.nanoTime());
  }

  private static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  @RepeatedTest(TESTS)
  void aTypicalTest() {
    typicalTest(dos.stub("COUNTER", "counter"), dos.stub("REMINDER", "reminder"), dos::runInDurableObject,
        dos.clock());
  }

  private interface RunIn {
    void run(DurableObjectStub stub, DurableObjectsExtension.ObjectAction<Counter> body);
  }

  private static void typicalTest(DurableObjectStub stub, DurableObjectStub reminderStub, RunIn runIn,
      ManualClock clock) {
    CounterApi counter = stub.as(CounterApi.class);
    counter.increment(1);
    counter.increment(2);
    assertThat(counter.count()).isEqualTo(3);
    runIn.run(stub, (Counter c, DurableObjectState state) ->
        assertThat(state.storage().get("count", Long.class)).contains(3L));

    ReminderApi reminder = reminderStub.as(ReminderApi.class);
    reminder.at(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(1));
    assertThat(reminder.attempts()).hasSize(1);
  }

  @AfterAll
  static void report() {
    long end = System.nanoTime();
    long endCpu = processCpuNanos();
    Map<String, Long> threadCpuAtEnd = ThreadCpu.byKind();
    long cpu = endCpu - cpuReady.get(0);
    long first = testReady.get(0);
    long[] perTest = new long[testReady.size()];
    long[] cpuPerTest = new long[testReady.size()];
    for (int i = 0; i < testReady.size(); i++) {
      long next = i + 1 < testReady.size() ? testReady.get(i + 1) : end;
      perTest[i] = next - testReady.get(i);
      long nextCpu = i + 1 < cpuReady.size() ? cpuReady.get(i + 1) : endCpu;
      cpuPerTest[i] = nextCpu - cpuReady.get(i);
    }
    long jvmToFirst = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()
        - (end - first) / 1_000_000;
    System.out.printf("%n== test kit benchmark ==%n");
    // When the tests ran, in the JVM's uptime (for lining up logs such as -XX:+PrintCompilation).
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.printf("tests ran from JVM uptime %d ms to %d ms%n", uptime - (System.nanoTime() - first) / 1_000_000,
        uptime - (System.nanoTime() - end) / 1_000_000);
    if (Boolean.getBoolean("bench.trace")) {
      System.out.println("wall per test, ms: "
          + Arrays.toString(Arrays.stream(perTest).mapToObj(n -> String.format("%.1f", n / 1e6)).toArray()));
      System.out.println("CPU of other threads per test, ms: " + java.util.stream.IntStream.range(1, otherCpuTrace.size())
          .mapToObj(i -> String.format("%.1f", (otherCpuTrace.get(i) - otherCpuTrace.get(i - 1)) / 1e6)).toList());
      System.out.println("CPU per test, ms:  "
          + Arrays.toString(Arrays.stream(cpuPerTest).mapToObj(n -> String.format("%.1f", n / 1e6)).toArray()));
    }
    System.out.printf("kit start-up, class init to first test ready: %8.1f ms%n", ms(first - CLASS_INIT));
    System.out.printf("JVM start to first test ready (reference):    %8.1f ms%n", (double) jvmToFirst);
    System.out.printf("%d tests alone (first test ready to last done): %6.1f ms, %.2f ms a test%n",
        TESTS, ms(end - first), ms(end - first) / TESTS);
    System.out.printf("  first test: %.1f ms; tests 2..%d: median %.2f ms, mean %.2f ms%n", ms(perTest[0]), TESTS,
        ms(median(Arrays.copyOfRange(perTest, 1, perTest.length))),
        ms(Arrays.stream(perTest, 1, perTest.length).sum()) / (perTest.length - 1));
    System.out.printf("  CPU time of the whole JVM (all threads, JIT compilers included) during the tests:"
        + " %.1f ms, %.2f ms a test; %d cores, load average %.1f%n", ms(cpu), ms(cpu) / TESTS,
        Runtime.getRuntime().availableProcessors(),
        OS.getSystemLoadAverage());
    if (!threadCpuAtEnd.isEmpty()) {
      StringBuilder kinds = new StringBuilder();
      threadCpuAtEnd.forEach((kind, nanos) -> kinds.append(String.format("; %s %.1f ms (%.2f ms a test)", kind,
          ms(nanos - threadCpuAtFirstTest.getOrDefault(kind, 0L)),
          ms(nanos - threadCpuAtFirstTest.getOrDefault(kind, 0L)) / TESTS)));
      System.out.println("  of which" + kinds.substring(1));
    }
    System.out.printf("  the same CPU per test: first %.1f ms; tests 2..%d: median %.2f ms%n", ms(cpuPerTest[0]), TESTS,
        ms(median(Arrays.copyOfRange(cpuPerTest, 1, cpuPerTest.length))));
    System.out.printf("  CPU time of the whole JVM from class init to first test ready: %.1f ms%n",
        ms(cpuReady.get(0) - CLASS_INIT_CPU));
    long startJit = threadCpuAtFirstTest.getOrDefault("JIT compilers", 0L)
        - THREAD_CPU_AT_CLASS_INIT.getOrDefault("JIT compilers", 0L);
    System.out.printf("  of which JIT compilers %.1f ms%n", ms(startJit));

    KitSettings settings = DurableObjectsExtension.builder()
        .bind("COUNTER", Counter.class).bind("REMINDER", Reminder.class).settings();
    long[] create = new long[RUNTIMES];
    long[] close = new long[RUNTIMES];
    for (int i = 0; i < RUNTIMES; i++) {
      long t0 = System.nanoTime();
      TestRuntime rt = TestRuntime.start(settings);
      long t1 = System.nanoTime();
      rt.close();
      long t2 = System.nanoTime();
      create[i] = t1 - t0;
      close[i] = t2 - t1;
    }
    System.out.printf("fresh isolated runtime (%d, after the suite): create median %.3f ms (p90 %.3f),"
        + " close median %.3f ms%n", RUNTIMES, ms(median(create)), ms(percentile(create, 0.9)), ms(median(close)));

    long[] warm = new long[RUNTIMES];
    long warmCpu = processCpuNanos();
    for (int i = 0; i < RUNTIMES; i++) {
      long t0 = System.nanoTime();
      try (TestRuntime rt = TestRuntime.start(settings)) {
        typicalTest(rt.stub("COUNTER", "counter"), rt.stub("REMINDER", "reminder"),
            (stub, body) -> rt.callIn(stub, (Counter c, DurableObjectState s) -> {
              body.run(c, s);
              return null;
            }), rt.clock());
      }
      warm[i] = System.nanoTime() - t0;
    }
    warmCpu = processCpuNanos() - warmCpu;
    System.out.printf("the same test once the JIT is warm (%d more, fresh runtime each): median %.2f ms,"
        + " CPU of the whole JVM %.2f ms a test%n", RUNTIMES, ms(median(warm)), ms(warmCpu) / RUNTIMES);
    // One line for scripts that take medians over runs.
    System.out.printf(java.util.Locale.ROOT, "bench-data startup=%.1f tests=%.1f first=%.1f median=%.2f cpu=%.1f"
        + " other=%.1f jit=%.1f startcpu=%.1f startjit=%.1f create=%.3f warm=%.2f%n", ms(first - CLASS_INIT), ms(end - first),
        ms(perTest[0]), ms(median(Arrays.copyOfRange(perTest, 1, perTest.length))), ms(cpu),
        ms(threadCpuAtEnd.getOrDefault("other threads", 0L) - threadCpuAtFirstTest.getOrDefault("other threads", 0L)),
        ms(threadCpuAtEnd.getOrDefault("JIT compilers", 0L) - threadCpuAtFirstTest.getOrDefault("JIT compilers", 0L)),
        ms(cpuReady.get(0) - CLASS_INIT_CPU), ms(startJit), ms(median(create)), ms(median(warm)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long median(long[] values) {
    return percentile(values, 0.5);
  }

  private static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
