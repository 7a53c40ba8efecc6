package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectException;
import dev.durable.Request;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.RuntimeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
  @TempDir
  Path dir;

  @Test
  void stateWrittenByOneRuntimeIsReadByAFreshOne() {
    try (DurableRuntime first = RuntimeTestSupport.onDisk(dir).build()) {
      first.env().durableObject("COUNTER").getByName("p", TestObjects.CounterApi.class).increment(41);
    }
    try (DurableRuntime second = RuntimeTestSupport.onDisk(dir).build()) {
      assertThat(second.env().durableObject("COUNTER").getByName("p", TestObjects.CounterApi.class)
          .increment(1)).isEqualTo(42);
    }
  }

  @Test
  void onDiskLayoutIsMiniflares() throws Exception {
    String id;
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).build()) {
      var ns = rt.env().durableObject("COUNTER");
      id = ns.idFromName("layout").toString();
      ns.getByName("layout", TestObjects.CounterApi.class).increment(1);
    }
    Path nsDir = dir.resolve("do").resolve("app-Counter");
    assertThat(nsDir.resolve(id + ".sqlite")).exists();
    assertThat(nsDir.resolve("metadata.sqlite")).exists();
    assertThat(nsDir.resolve(id + ".sqlite-wal")).as("closing checkpoints the WAL away").doesNotExist();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + nsDir.resolve(id + ".sqlite"));
        var st = c.createStatement()) {
      var rs = st.executeQuery("SELECT name FROM __miniflare_do_name");
      assertThat(rs.getString(1)).isEqualTo("layout");
      rs = st.executeQuery("SELECT key, CAST(value AS TEXT) FROM _cf_KV");
      assertThat(rs.getString(1)).isEqualTo("n");
      assertThat(rs.getString(2)).isEqualTo("1");
      rs = st.executeQuery("PRAGMA journal_mode");
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void evictionRunsTheConstructorAgainWithStateAndNameIntact() throws Exception {
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).idleTimeout(Duration.ofMillis(100)).build()) {
      TestObjects.CounterApi c = rt.env().durableObject("COUNTER").getByName("e", TestObjects.CounterApi.class);
      c.increment(3);
      int constructed = TestObjects.Counter.constructed.get();
      ObjectNamespace ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!ns.handles().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(ns.handles()).as("the idle object was evicted").isEmpty();
      assertThat(c.get()).isEqualTo(3);
      assertThat(c.name()).isEqualTo("e");
      assertThat(TestObjects.Counter.constructed.get()).isEqualTo(constructed + 1);
    }
  }

  @Test
  void evictingByHandDropsTheInstance() {
    try (DurableRuntime rt = RuntimeTestSupport.inMemory().build()) {
      TestObjects.CounterApi c = rt.env().durableObject("COUNTER").getByName("m", TestObjects.CounterApi.class);
      c.increment(2);
      int constructed = TestObjects.Counter.constructed.get();
      rt.evictAll();
      assertThat(c.increment(1)).as("in-memory state survives eviction").isEqualTo(3);
      assertThat(TestObjects.Counter.constructed.get()).isEqualTo(constructed + 1);
    }
  }

  @Test
  void thousandsOfObjectsDoNotExhaustFileDescriptors() throws Exception {
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).maxOpenDatabases(64).build()) {
      var ns = rt.env().durableObject("COUNTER");
      for (int i = 0; i < 3000; i++) {
        // The first increment writes a new file without opening it; the second opens it.
        ns.getByName("o" + i, TestObjects.CounterApi.class).increment(1);
        ns.getByName("o" + i, TestObjects.CounterApi.class).increment(1);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (RuntimeTestSupport.services(rt).openDatabases().count() > 64 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(RuntimeTestSupport.services(rt).openDatabases().count()).isLessThanOrEqualTo(64);
      assertThat(ns.getByName("o7", TestObjects.CounterApi.class).get()).isEqualTo(2);
    }
    try (Stream<Path> files = Files.list(dir.resolve("do").resolve("app-Counter"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".sqlite-wal")).count()).isZero();
    }
  }

  @Test
  void aFreshObjectsFirstSmallPutsWriteItsFileWithoutOpeningSqlite() throws Exception {
    Path file;
    Path bigFile;
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).build()) {
      var ns = rt.env().durableObject("COUNTER");
      ObjectNamespace namespace = ((ObjectNamespace) rt.namespace("COUNTER"));
      file = namespace.objectFile(ns.idFromName("fresh"));
      assertThat(ns.getByName("fresh", TestObjects.CounterApi.class).get()).as("a read").isZero();
      assertThat(file).as("reading an object that has no file creates none").doesNotExist();
      assertThatThrownBy(() -> ns.getByName("fresh", TestObjects.CounterApi.class).fail("no"))
          .hasMessageContaining("no");
      assertThat(file).as("a failed event's put creates none").doesNotExist();

      assertThat(ns.getByName("fresh", TestObjects.CounterApi.class).increment(7)).isEqualTo(7);
      assertThat(file).exists();
      assertThat(file.resolveSibling(file.getFileName() + "-new")).doesNotExist();
      assertThat(namespace.handle(ns.idFromName("fresh")).database().isOpen()).as("no connection").isFalse();
      assertThat(RuntimeTestSupport.services(rt).openDatabases().count()).isZero();
      assertThat(readCount(file)).as("SQLite reads the row while the object lives").isEqualTo("7");
      assertThat(ns.getByName("fresh", TestObjects.CounterApi.class).increment(1))
          .as("the next write opens the file").isEqualTo(8);
      assertThat(namespace.handle(ns.idFromName("fresh")).database().isOpen()).isTrue();

      // A value too big for the page goes through SQLite from the start.
      bigFile = namespace.objectFile(ns.idFromName("big"));
      ns.getByName("big", TestObjects.CounterApi.class).store("text", "x".repeat(10_000));
      assertThat(namespace.handle(ns.idFromName("big")).database().isOpen()).isTrue();
    }
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).build()) {
      var ns = rt.env().durableObject("COUNTER");
      assertThat(ns.getByName("fresh", TestObjects.CounterApi.class).get()).isEqualTo(8);
      assertThat(ns.getByName("fresh", TestObjects.CounterApi.class).name()).isEqualTo("fresh");
      assertThat(ns.getByName("big", TestObjects.CounterApi.class).load("text")).hasSize(10_000);
    }
    for (Path f : new Path[] {file, bigFile}) {
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
          var st = c.createStatement()) {
        assertThat(st.executeQuery("PRAGMA integrity_check").getString(1)).isEqualTo("ok");
        assertThat(st.executeQuery("SELECT name FROM __miniflare_do_name WHERE id = 0").getString(1))
            .isEqualTo(f == file ? "fresh" : "big");
      }
    }
  }

  @Test
  void anOpenObjectsFileIsLockedUntilItClosesUnlessFilesAreShared() throws Exception {
    for (boolean share : new boolean[] {false, true}) {
      Path state = dir.resolve(share ? "shared" : "locked");
      try (DurableRuntime rt = RuntimeTestSupport.onDisk(state).shareDatabaseFiles(share).build()) {
        var ns = rt.env().durableObject("COUNTER");
        ns.getByName("l", TestObjects.CounterApi.class).increment(2); // creates the file
        ns.getByName("l", TestObjects.CounterApi.class).increment(3); // opens it
        Path file = ((ObjectNamespace) rt.namespace("COUNTER")).objectFile(ns.idFromName("l"));
        if (share) {
          assertThat(readCount(file)).as("another connection reads a shared file").isEqualTo("5");
        } else {
          assertThatThrownBy(() -> readCount(file)).hasMessageContaining("locked");
          assertThat(file.resolveSibling(file.getFileName() + "-shm")).as("no shared memory").doesNotExist();
        }
        rt.evictAll();
        assertThat(readCount(file)).as("once the object's database closed").isEqualTo("5");
      }
    }
  }

  private static String readCount(Path file) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 0");
      return st.executeQuery("SELECT CAST(value AS TEXT) FROM _cf_KV WHERE key = 'n'").getString(1);
    }
  }

  @Test
  void databasesOfObjectsUsedOnceCloseFirstWhenManyAreOpen() throws Exception {
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).build()) {
      var ns = rt.env().durableObject("COUNTER");
      for (int i = 0; i < 60; i++) {
        ns.getByName("once" + i, TestObjects.CounterApi.class).increment(1); // files, none opened
      }
    }
    // Limit 64: past 32 open, a database whose object had one event and is idle closes.
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).maxOpenDatabases(64).build()) {
      var ns = rt.env().durableObject("COUNTER");
      TestObjects.CounterApi regular = ns.getByName("regular", TestObjects.CounterApi.class);
      regular.increment(1);
      regular.increment(1);
      for (int i = 0; i < 60; i++) {
        ns.getByName("once" + i, TestObjects.CounterApi.class).get(); // one event, which opens
      }
      ObjectNamespace namespace = ((ObjectNamespace) rt.namespace("COUNTER"));
      ObjectHandle regularHandle = namespace.handle(ns.idFromName("regular"));
      ObjectHandle onceHandle = namespace.handle(ns.idFromName("once0"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (RuntimeTestSupport.services(rt).openDatabases().count() > 32 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(RuntimeTestSupport.services(rt).openDatabases().count()).isLessThanOrEqualTo(32);
      assertThat(onceHandle.database().isOpen()).as("the oldest object used once").isFalse();
      assertThat(regularHandle.database().isOpen()).as("an object used twice is left to the LRU rule").isTrue();
      assertThat(ns.getByName("once0", TestObjects.CounterApi.class).increment(1))
          .as("the instance stays; storage reopens").isEqualTo(2);
    }
  }

  @Test
  void evictedObjectsAreNotHeldForTheOnceUsedRuleWhileFewDatabasesAreOpen() throws Exception {
    // Limit 64: the once-used rule's limit is 32, and its queue is swept past twice that.
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).maxOpenDatabases(64).build()) {
      var ns = rt.env().durableObject("COUNTER");
      for (int i = 0; i < 500; i++) {
        ns.getByName("again", TestObjects.CounterApi.class).increment(1); // opens the database
        rt.evictAll();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (RuntimeTestSupport.services(rt).openDatabases().onceUsedCandidates() > 64 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(RuntimeTestSupport.services(rt).openDatabases().onceUsedCandidates())
          .as("500 opens of evicted objects, never more than one database open").isLessThanOrEqualTo(64);
    }
  }

  @Test
  void unknownBindingsAndUnusableClassesAreClearErrors() {
    try (DurableRuntime rt = RuntimeTestSupport.inMemory().build()) {
      assertThatThrownBy(() -> rt.env().durableObject("NOPE"))
          .hasMessage("No Durable Object binding named 'NOPE'; bindings: [COUNTER, PING, ALARM]");
    }
    assertThatThrownBy(() -> DurableRuntime.builder().bind("X", TestObjects.NoConstructor.class).build())
        .hasMessageContaining("needs a public constructor (DurableObjectState ctx, Env env)");
    try (DurableRuntime rt = DurableRuntime.builder().bind("X", TestObjects.Exploding.class).build()) {
      var stub = rt.env().durableObject("X").getByName("x");
      assertThatThrownBy(() -> stub.fetch(Request.get("/")))
          .isInstanceOf(DurableObjectException.class)
          .hasMessageContaining("Constructor of")
          .hasMessageContaining("boom in constructor");
    }
  }

  @Test
  void aHotObjectsWriteAheadLogStaysSmall() throws Exception {
    try (DurableRuntime rt = RuntimeTestSupport.onDisk(dir).build()) {
      var ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      var id = ns.idFromName("wal");
      String value = "v".repeat(64 * 1024);
      long largestWal = 0;
      for (int i = 0; i < 600; i++) { // about 40 MB written through one open connection
        int n = i;
        StorageTesting.inObject(rt, "COUNTER", "wal", s -> {
          s.put("k" + (n % 50), value + n);
          return null;
        });
        Path wal = dir.resolve("do/app-Counter/" + id + ".sqlite-wal");
        if (Files.exists(wal)) {
          largestWal = Math.max(largestWal, Files.size(wal));
        }
      }
      assertThat(largestWal).as("WAL size while busy").isLessThan(8L * 1024 * 1024);
    }
  }

  @Test
  void anEventWaitingOnOutgoingIoWhenItsObjectIsEvictedFailsInsteadOfGoingOnWithoutItsInstance()
      throws Exception {
    java.util.concurrent.CountDownLatch calling = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Void> answer = new java.util.concurrent.CompletableFuture<>();
    try (DurableRuntime rt = RuntimeTestSupport.inMemory().outboundFetch(req -> {
      calling.countDown();
      answer.join();
      return dev.durable.Response.text("late");
    }).build()) {
      var ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      var handle = ns.handle(ns.idFromName("zombie"));
      AtomicBoolean wroteAfterIo = new AtomicBoolean();
      var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> handle.run(obj -> {
        handle.state().fetch(Request.get("http://example.test/slow"));
        handle.state().storage().put("after", true);
        wroteAfterIo.set(true);
        return null;
      }, true));
      calling.await();
      handle.evict();
      answer.complete(null);

      assertThatThrownBy(waiting::join).hasCauseInstanceOf(DurableObjectException.class)
          .hasMessageContaining("was evicted or reset while this event waited on outgoing I/O");
      assertThat(wroteAfterIo).as("the event did not go on after its instance was evicted").isFalse();
      java.util.Optional<Object> after = handle.run(obj -> handle.state().storage().get("after"), true);
      assertThat(after).isEmpty();
    }
  }

  @Test
  void outboundFetchGoesThroughTheRuntimeAndWaitUntilKeepsTheObjectAlive() throws Exception {
    java.util.concurrent.CompletableFuture<Void> work = new java.util.concurrent.CompletableFuture<>();
    try (DurableRuntime rt = RuntimeTestSupport.inMemory()
        .outboundFetch(req -> dev.durable.Response.text("echo " + req.url().getPath()))
        .idleTimeout(Duration.ofMillis(50)).build()) {
      var ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      var handle = ns.handle(ns.idFromName("w"));
      String body = handle.run(obj -> {
        handle.state().waitUntil(work);
        return handle.state().fetch(Request.get("http://example.test/ping")).text();
      }, true);
      assertThat(body).isEqualTo("echo /ping");
      Thread.sleep(300);
      assertThat(handle.isLive()).as("pending waitUntil work keeps the instance").isTrue();
      work.complete(null);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (handle.isLive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(handle.isLive()).as("evicted once the work is done").isFalse();
    }
  }

  @Test
  void housekeepingAskedForAfterTheRuntimeClosedIsDroppedWithoutAnError() throws Exception {
    DurableRuntime rt = DurableRuntime.builder().bind("X", TestObjects.Counter.class).build();
    rt.close();
    AtomicBoolean ran = new AtomicBoolean();
    // A sweep or a blockConcurrencyWhile() limit still running while close() shuts the
    // housekeeping thread down asks for these.
    RuntimeClock.Timer timer = RuntimeTestSupport.services(rt).housekeeping().watchdog(Duration.ofMillis(1), () -> ran.set(true));
    timer.cancel();
    RuntimeTestSupport.services(rt).housekeeping().background(() -> ran.set(true));
    Thread.sleep(50);
    assertThat(ran).as("nothing runs after the runtime closed").isFalse();
  }
}
