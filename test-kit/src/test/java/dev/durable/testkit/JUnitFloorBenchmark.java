package dev.durable.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

/**
 * What {@link TestKitBenchmark} would measure without the kit: the same 50 repetitions with the
 * same kinds of AssertJ assertions on plain values, no runtime, no objects. The floor that JUnit
 * and AssertJ set for a cold JVM, to read the kit's numbers against. Run it alone:
 *
 * <pre>
 * mvn -B -ntp -pl test-kit -am test -Pbench -Dtest=JUnitFloorBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Tag("benchmark")
class JUnitFloorBenchmark {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final long CLASS_INIT = System.nanoTime();
  private static final int TESTS = 50;
  private static final List<Long> testReady = new ArrayList<>();
  private static final List<Long> cpuReady = new ArrayList<>();
  private static Map<String, Long> threadCpuAtFirstTest = Map.of();

  @BeforeEach
  void ready() {
    if (cpuReady.isEmpty()) {
      threadCpuAtFirstTest = ThreadCpu.byKind();
    }
    cpuReady.add(OS.getProcessCpuTime());
    testReady.add(System.nanoTime());
  }

  @RepeatedTest(TESTS)
  void aTestWithoutTheKit() {
    long count = 1 + 2;
    assertThat(count).isEqualTo(3);
    assertThat(Optional.of(count)).contains(3L);
    assertThat(List.of("now=2026-01-01T00:01:00Z")).hasSize(1);
  }

  @AfterAll
  static void report() {
    long end = System.nanoTime();
    long cpu = OS.getProcessCpuTime() - cpuReady.get(0);
    Map<String, Long> threadCpuAtEnd = ThreadCpu.byKind();
    long first = testReady.get(0);
    long[] perTest = new long[testReady.size()];
    for (int i = 0; i < testReady.size(); i++) {
      perTest[i] = (i + 1 < testReady.size() ? testReady.get(i + 1) : end) - testReady.get(i);
    }
    long[] later = Arrays.copyOfRange(perTest, 1, perTest.length);
    Arrays.sort(later);
    System.out.printf("%n== JUnit and AssertJ alone, no kit ==%n");
    System.out.printf("class init to first test ready: %.1f ms%n", (first - CLASS_INIT) / 1e6);
    System.out.printf("%d tests alone: %.1f ms, %.2f ms a test; first %.1f ms; tests 2..%d: median %.2f ms;"
        + " CPU of the JVM during the tests %.1f ms; load average %.1f%n", TESTS, (end - first) / 1e6,
        (end - first) / 1e6 / TESTS, perTest[0] / 1e6, TESTS, later[later.length / 2] / 1e6, cpu / 1e6,
        OS.getSystemLoadAverage());
    long other = threadCpuAtEnd.getOrDefault("other threads", 0L) - threadCpuAtFirstTest.getOrDefault("other threads", 0L);
    long jit = threadCpuAtEnd.getOrDefault("JIT compilers", 0L) - threadCpuAtFirstTest.getOrDefault("JIT compilers", 0L);
    System.out.printf("of that CPU: JIT compilers %.1f ms, other threads %.1f ms%n", jit / 1e6, other / 1e6);
    System.out.printf(Locale.ROOT, "bench-data startup=%.1f tests=%.1f first=%.1f median=%.2f cpu=%.1f other=%.1f jit=%.1f%n",
        (first - CLASS_INIT) / 1e6, (end - first) / 1e6, perTest[0] / 1e6, later[later.length / 2] / 1e6,
        cpu / 1e6, other / 1e6, jit / 1e6);
  }
}
