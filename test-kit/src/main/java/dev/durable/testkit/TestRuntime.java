package dev.durable.testkit;

import dev.durable.DurableObject;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.internal.migration.StateMigration;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One runtime of a kit with its manual clock and fetch mock: per test, or per class with shared
 * state. Checks that a stub is its own before the kit's helpers reach the object through
 * {@link #tools}; the extension only finds the right one.
 */
final class TestRuntime implements AutoCloseable {
  private final DurableRuntime runtime;
  private final ManualClock clock;
  private final FetchMock fetchMock;
  private final Path directory;
  private volatile boolean closed;

  private TestRuntime(DurableRuntime runtime, ManualClock clock, FetchMock fetchMock, Path directory) {
    this.runtime = runtime;
    this.clock = clock;
    this.fetchMock = fetchMock;
    this.directory = directory;
  }

  /** Builds a fresh runtime: in memory (or a new temporary directory), on a new manual clock. */
  static TestRuntime start(KitSettings settings) {
    ManualClock clock = ManualClock.startingAt(settings.start());
    FetchMock fetchMock = new FetchMock();
    DurableRuntime.Builder b = DurableRuntime.builder().idleTimeout(Duration.ZERO);
    Path directory = null;
    if (settings.storageOnDisk()) {
      try {
        directory = Files.createTempDirectory("durable-test-");
      } catch (IOException e) {
        throw new UncheckedIOException("Could not create a temporary state directory: " + e.getMessage(), e);
      }
      b.stateDirectory(directory);
    } else {
      b.inMemory();
    }
    settings.bindings().forEach(b::bind);
    b.vars(settings.vars());
    if (settings.worker() != null) {
      b.worker(settings.worker());
    }
    settings.customizers().forEach(c -> c.accept(b));
    b.clock(clock).outboundFetch(fetchMock);
    try {
      return new TestRuntime(b.build(), clock, fetchMock, directory);
    } catch (RuntimeException e) {
      deleteRecursively(directory);
      throw e;
    }
  }

  DurableRuntime runtime() {
    checkOpen();
    return runtime;
  }

  ManualClock clock() {
    return clock;
  }

  FetchMock fetchMock() {
    return fetchMock;
  }

  boolean isClosed() {
    return closed;
  }

  WorkerClient worker() {
    if (!runtime().hasWorker()) {
      throw new IllegalStateException("The kit has no worker entry: add .worker(new App()) to"
          + " DurableObjectsExtension.builder(), or worker = App.class to @DurableObjectsTest");
    }
    return new WorkerClient(runtime);
  }

  DurableObjectStub stub(String binding, String name) {
    return runtime().env().durableObject(binding).getByName(name);
  }

  <T extends DurableObject, R> R callIn(DurableObjectStub stub,
      DurableObjectsExtension.ObjectFunction<T, R> body) {
    if (body == null) {
      throw new IllegalArgumentException("runInDurableObject() needs a body");
    }
    return tools(stub).runInObject(stub, (DurableObject instance, DurableObjectState state) -> {
      try {
        return clock.refusingMoves("inside runInDurableObject()", () -> {
          @SuppressWarnings("unchecked")
          T typed = (T) instance;
          return body.apply(typed, state);
        });
      } catch (ClassCastException e) {
        throw wrongType(instance, e);
      }
    });
  }

  DurableObjectStub facet(DurableObjectStub parent, String name) {
    return tools(parent).facet(parent, name).orElseThrow(() -> new IllegalArgumentException(
        parent + " has no facet named '" + name + "'; its facets: " + facetNames(parent)));
  }

  List<String> facetNames(DurableObjectStub parent) {
    return tools(parent).facets(parent).stream().map(f -> f.id().name().orElseThrow()).toList();
  }

  List<DurableObjectId> listIds(String binding) {
    ObjectTools tools = runtime().tools();
    DurableObjectNamespace ns = runtime.namespace(binding);
    Map<String, DurableObjectId> inMemory = new HashMap<>();
    tools.inMemory(binding).forEach(o -> inMemory.put(o.id().toString(), o.id()));
    return tools.storedIds(binding).stream()
        .map(hex -> inMemory.containsKey(hex) ? inMemory.get(hex) : ns.idFromString(hex)).toList();
  }

  List<DurableObjectId> listIds(DurableObjectNamespace namespace) {
    if (namespace == null) {
      throw new IllegalArgumentException("listIds() needs a namespace, got null");
    }
    return runtime().tools().namespaces().stream().map(ObjectTools.NamespaceInfo::binding)
        .filter(binding -> runtime.namespace(binding) == namespace).findFirst().map(this::listIds)
        .orElseThrow(() -> new IllegalArgumentException("Namespace " + namespace.namespaceId()
            + " is not one of this test's runtime (from an earlier test?); take it from dos.env()"));
  }

  /** The requests no fetch mock route matched since the last call, as one line each. */
  List<String> unmatchedFetches() {
    return fetchMock.drainUnmatched().stream().map(FetchMock::describe).toList();
  }

  /** The runtime's tools, for a stub of this runtime; says clearly when the stub is from another one. */
  ObjectTools tools(DurableObjectStub stub) {
    if (stub == null) {
      throw new IllegalArgumentException("Expected a stub, got null");
    }
    ObjectTools tools = runtime().tools();
    boolean ours;
    try {
      ours = tools.owns(stub);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + ". Was it made in an earlier test? Unless the"
          + " kit shares state, each test has a fresh runtime: make stubs during the test", e);
    }
    if (!ours) {
      throw new IllegalArgumentException(stub + " belongs to another runtime than this test's;"
          + " make stubs from dos.env() or dos.stub(binding, name)");
    }
    return tools;
  }

  /** Stops timers and sleepers, closes the runtime, deletes the temporary directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    clock.shutDown();
    try {
      runtime.close();
    } finally {
      deleteRecursively(directory);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This test's Durable Objects runtime is closed; the kit's"
          + " helpers work only while the test runs");
    }
  }

  private static IllegalArgumentException wrongType(DurableObject instance, ClassCastException e) {
    // Only the cast into the body's declared type, not a ClassCastException from inside it.
    String message = String.valueOf(e.getMessage());
    StackTraceElement[] trace = e.getStackTrace();
    if (!message.contains(instance.getClass().getName()) || trace.length == 0
        || !(trace[0].getClassName().equals(TestRuntime.class.getName())
            || trace[0].getClassName().equals(DurableObjectsExtension.class.getName()))) {
      throw e;
    }
    return new IllegalArgumentException("The object is a " + instance.getClass().getName()
        + ", which the body of runInDurableObject() does not take: " + message, e);
  }

  private static void deleteRecursively(Path directory) {
    if (directory == null) {
      return;
    }
    try {
      StateMigration.deleteTree(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete the test's state directory " + directory
          + ": " + e.getMessage(), e);
    }
  }
}
