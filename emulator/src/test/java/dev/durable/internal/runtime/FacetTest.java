package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.RuntimeTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.runtime.DurableRuntime;
import dev.durable.runtime.ObjectTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacetTest {
  public interface ParentApi {
    long note(String facet, String text);

    List<String> facetNotes(String facet);

    long ownNotes();

    List<String> facets();

    boolean deleteFacet(String name);

    void wipe();

    void remind(String facet, Instant at);

    void facetOfClass(String name, String className) throws Exception;

    String nestedFacet(String facet);
  }

  public interface ChildApi {
    long note(String text);

    List<String> notes();

    String whoAmI();

    void remindAt(Instant at);

    String nested();
  }

  /** Keeps notes in a table called {@code notes}, as its children do. */
  public static class Parent extends DurableObject implements ParentApi {
    public Parent(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    private void table() {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS notes (text TEXT)");
    }

    private ChildApi child(String name) {
      return ctx.facets().get(name, Child.class).as(ChildApi.class);
    }

    @Override
    public long note(String facet, String text) {
      table();
      ctx.storage().sql().exec("INSERT INTO notes VALUES (?)", "parent saw " + text);
      return child(facet).note(text);
    }

    @Override
    public List<String> facetNotes(String facet) {
      return child(facet).notes();
    }

    @Override
    public long ownNotes() {
      table();
      return ctx.storage().sql().exec("SELECT count(*) AS n FROM notes").one().get("n") instanceof Number n
          ? n.longValue() : -1;
    }

    @Override
    public List<String> facets() {
      return ctx.facets().list().stream().map(f -> f.name() + ":" + f.objectClass().getSimpleName()).toList();
    }

    @Override
    public boolean deleteFacet(String name) {
      return ctx.facets().delete(name);
    }

    @Override
    public void wipe() {
      ctx.storage().deleteAll();
    }

    @Override
    public void remind(String facet, Instant at) {
      child(facet).remindAt(at);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void facetOfClass(String name, String className) throws Exception {
      Class cls = Class.forName(className);
      ctx.facets().get(name, cls);
    }

    @Override
    public String nestedFacet(String facet) {
      return child(facet).nested();
    }
  }

  /** A facet: notes in its own {@code notes} table, an alarm that records its deliveries. */
  public static class Child extends DurableObject implements ChildApi {
    static final List<String> alarms = new CopyOnWriteArrayList<>();

    public Child(DurableObjectState ctx, Env env) {
      super(ctx, env);
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS notes (text TEXT)");
    }

    @Override
    public long note(String text) {
      ctx.storage().sql().exec("INSERT INTO notes VALUES (?)", text);
      return notes().size();
    }

    @Override
    public List<String> notes() {
      return ctx.storage().sql().exec("SELECT text FROM notes ORDER BY rowid").toList().stream()
          .map(r -> (String) r.get("text")).toList();
    }

    @Override
    public String whoAmI() {
      return ctx.id().name().orElse("?");
    }

    @Override
    public void remindAt(Instant at) {
      ctx.storage().setAlarm(at);
    }

    @Override
    public String nested() {
      return ctx.facets().get("grandchild", Child.class).as(ChildApi.class).whoAmI();
    }

    @Override
    public void alarm(AlarmInfo info) {
      alarms.add(ctx.id().name().orElse("?") + "@" + info.scheduledTime());
    }
  }

  /** Another facet class, to hold a name a Child already has. */
  public static class Other extends DurableObject {
    public Other(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  @TempDir
  Path dir;
  private StepClock clock;
  private DurableRuntime runtime;

  @BeforeEach
  void setUp() {
    Child.alarms.clear();
    clock = new StepClock(T0);
    runtime = onDisk();
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private DurableRuntime onDisk() {
    return DurableRuntime.builder().idleTimeout(Duration.ZERO).clock(clock).stateDirectory(dir)
        .bind("PARENT", Parent.class).build();
  }

  @Test
  void anIdleObjectsFacetsLetGoOfTheirFiles() throws Exception {
    Path fds = Path.of("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "counts open files in /proc");
    runtime.close();
    runtime = DurableRuntime.builder().idleTimeout(Duration.ofMillis(50)).clock(clock).stateDirectory(dir)
        .bind("PARENT", Parent.class).build();
    parent("a").note("f1", "hello");
    parent("a").remind("f1", T0.plusSeconds(3600)); // the facets' alarm file is written
    assertThat(openFacetFiles()).as("files of facets open while the parent is in use").isNotEmpty();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!openFacetFiles().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20); // idle eviction runs every 50 ms on the real clock
    }

    assertThat(openFacetFiles()).as("files of facets still open after the parent and facet were evicted")
        .isEmpty();
    assertThat(parent("a").facetNotes("f1")).containsExactly("hello");
    assertThat(runtime.tools().facet(runtime.env().durableObject("PARENT").getByName("a"), "f1"))
        .isPresent();
  }

  /** The files under a facets directory this process holds open. */
  private static List<String> openFacetFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          return ""; // closed meanwhile
        }
      }).filter(f -> f.contains(".facets/")).toList();
    }
  }

  private ParentApi parent(String name) {
    return runtime.env().durableObject("PARENT").getByName(name, ParentApi.class);
  }

  private DurableObjectStub parentStub(String name) {
    return runtime.env().durableObject("PARENT").getByName(name);
  }

  private Path facetsDirectory(String parent) {
    String id = runtime.env().durableObject("PARENT").idFromName(parent).toString();
    return dir.resolve("do").resolve(runtime.namespace("PARENT").namespaceId()).resolve(id + ".facets");
  }

  private static List<String> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(n -> n.endsWith(".sqlite")).sorted().toList();
    }
  }

  @Test
  void aFacetIsCreatedOnFirstUseInAFileOfItsOwnUnderItsParent() throws IOException {
    assertThat(files(facetsDirectory("inbox"))).isEmpty();

    assertThat(parent("inbox").note("chat-1", "hello")).isEqualTo(1);

    String facetId = new IdDerivation(runtime.namespace("PARENT").namespaceId().replace("Parent", "Child"))
        .fromName("chat-1").toString();
    assertThat(files(facetsDirectory("inbox"))).containsExactly(
        Child.class.getName() + "/" + facetId + ".sqlite", Child.class.getName() + "/metadata.sqlite");
    assertThat(runtime.tools().storedIds("PARENT")).as("the namespace lists its objects, not their facets")
        .containsExactly(parentStub("inbox").id().toString());
  }

  @Test
  void parentAndFacetTablesOfTheSameNameAreSeparate() {
    parent("inbox").note("chat-1", "one");
    parent("inbox").note("chat-2", "two");
    parent("inbox").note("chat-1", "three");

    assertThat(parent("inbox").facetNotes("chat-1")).containsExactly("one", "three");
    assertThat(parent("inbox").facetNotes("chat-2")).containsExactly("two");
    assertThat(parent("inbox").ownNotes()).isEqualTo(3);
    assertThat(parent("other").facetNotes("chat-1")).as("another parent's facet of the same name").isEmpty();
  }

  @Test
  void aFacetKnowsItsNameAsItsIdsName() {
    DurableObjectStub facet = runtime.tools().runInObject(parentStub("inbox"),
        (Parent p, DurableObjectState ctx) -> ctx.facets().get("chat-1", Child.class));
    assertThat(facet.as(ChildApi.class).whoAmI()).isEqualTo("chat-1");
    assertThat(facet.id().name()).contains("chat-1");
  }

  @Test
  void facetStateSurvivesEvictionAndRestart() {
    parent("inbox").note("chat-1", "before");
    runtime.evictAll();
    assertThat(parent("inbox").facetNotes("chat-1")).containsExactly("before");

    runtime.close();
    runtime = onDisk();

    assertThat(parent("inbox").facetNotes("chat-1")).containsExactly("before");
    assertThat(parent("inbox").facets()).containsExactly("chat-1:Child");
  }

  @Test
  void theParentListsAndDeletesItsFacets() throws IOException {
    parent("inbox").note("b", "x");
    parent("inbox").note("a", "y");
    assertThat(parent("inbox").facets()).containsExactly("a:Child", "b:Child");

    assertThat(parent("inbox").deleteFacet("a")).isTrue();
    assertThat(parent("inbox").deleteFacet("a")).as("already gone").isFalse();

    assertThat(parent("inbox").facets()).containsExactly("b:Child");
    assertThat(files(facetsDirectory("inbox"))).hasSize(2); // b's file and the alarms' metadata
    assertThat(parent("inbox").facetNotes("a")).as("made again, empty").isEmpty();
  }

  @Test
  void deletingTheParentsStorageDeletesItsFacets() throws IOException {
    parent("inbox").note("chat-1", "x");
    parent("inbox").remind("chat-1", T0.plusSeconds(60));

    parent("inbox").wipe();

    assertThat(facetsDirectory("inbox")).doesNotExist();
    assertThat(parent("inbox").facets()).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    assertThat(Child.alarms).as("the deleted facet's alarm").isEmpty();
    assertThat(parent("inbox").facetNotes("chat-1")).as("made again, empty").isEmpty();
  }

  @Test
  void aFacetsAlarmFires() {
    parent("inbox").remind("chat-1", T0.plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(Child.alarms).containsExactly("chat-1@" + T0.plusSeconds(10));
  }

  @Test
  void aFacetsAlarmDueWhileTheRuntimeWasDownFiresAtStart() {
    parent("inbox").remind("chat-1", T0.plusSeconds(10));
    runtime.close();
    clock.advance(Duration.ofSeconds(30));

    runtime = onDisk();
    clock.advance(Duration.ZERO);

    assertThat(Child.alarms).containsExactly("chat-1@" + T0.plusSeconds(10));
  }

  @Test
  void facetsWorkInMemory() {
    runtime.close();
    runtime = DurableRuntime.builder().idleTimeout(Duration.ZERO).clock(clock)
        .bind("PARENT", Parent.class).build();

    parent("inbox").note("chat-1", "kept");
    runtime.evictAll();

    assertThat(parent("inbox").facetNotes("chat-1")).containsExactly("kept");
    assertThat(parent("inbox").facets()).containsExactly("chat-1:Child");
    parent("inbox").wipe();
    assertThat(parent("inbox").facets()).isEmpty();
    assertThat(parent("inbox").facetNotes("chat-1")).isEmpty();
  }

  @Test
  void toolsListVisitAndDeleteAFacet() {
    parent("inbox").note("chat-1", "seen");
    ObjectTools tools = runtime.tools();

    List<DurableObjectStub> facets = tools.facets(parentStub("inbox"));
    assertThat(facets).extracting(s -> s.id().name().orElseThrow()).containsExactly("chat-1");
    assertThat(tools.namespaceOf(facets.get(0)).objectClass()).isEqualTo(Child.class);
    DurableObjectStub facet = tools.facet(parentStub("inbox"), "chat-1").orElseThrow();
    long rows = tools.visit(facet, ObjectTools.Access.READ,
        v -> v.tables().stream().filter(t -> t.name().equals("notes")).mapToLong(v::rowCount).sum());
    assertThat(rows).isEqualTo(1);
    assertThat(tools.facets(facet)).as("a facet has no facets").isEmpty();

    assertThat(tools.deleteFacet(parentStub("inbox"), "chat-1")).isTrue();
    assertThat(tools.facet(parentStub("inbox"), "chat-1")).isEmpty();
  }

  @Test
  void badFacetsGetClearErrors() {
    assertThatThrownBy(() -> parent("inbox").note("", "x"))
        .isInstanceOf(DurableObjectException.class).hasMessageContaining("Facet name must be a non-empty string");
    assertThatThrownBy(() -> parent("inbox").facetOfClass("x", String.class.getName()))
        .hasMessageContaining("Facet class java.lang.String is not a Durable Object class");
    assertThatThrownBy(() -> parent("inbox").facetOfClass("x", TestObjects.NoConstructor.class.getName()))
        .hasMessageContaining("needs a public constructor (DurableObjectState ctx, Env env)");
    assertThatThrownBy(() -> parent("inbox").nestedFacet("chat-1"))
        .hasMessageContaining("is a facet; facets cannot have facets of their own");

    parent("inbox").note("taken", "x");
    assertThatThrownBy(() -> parent("inbox").facetOfClass("taken", Other.class.getName()))
        .hasMessageContaining("Facet 'taken' of " + runtime.namespace("PARENT").namespaceId() + "/'inbox' is a "
            + Child.class.getName()
            + ", not a " + Other.class.getName());
    assertThat(parent("inbox").facets()).as("only the facet that asked for a grandchild, and 'taken'")
        .containsExactly("chat-1:Child", "taken:Child");
  }
}
