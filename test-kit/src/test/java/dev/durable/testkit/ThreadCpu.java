package dev.durable.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** CPU time of the benchmark JVM's threads, for the benchmarks' reports. */
final class ThreadCpu {
  private ThreadCpu() {}

  /**
   * CPU time of the JVM's threads so far, by kind: the JIT compilers, the garbage collector, and
   * the rest (the test thread, the threads that carry the objects' events). On an idle machine the
   * compilers mostly run on another core, so "the rest" is what the tests wait for. Read from
   * Linux's per-thread schedstat (nanoseconds); empty where that is missing.
   */
  static Map<String, Long> byKind() {
    Map<String, Long> byKind = new TreeMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return byKind;
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path t : threads.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          long nanos = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
          String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compilers"
              : name.startsWith("GC ") || name.startsWith("G1 ") ? "GC" : "other threads";
          byKind.merge(kind, nanos, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return byKind;
    }
    return byKind;
  }
}
