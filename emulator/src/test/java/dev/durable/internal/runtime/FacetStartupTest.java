package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.RuntimeTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.runtime.FacetTest.Child;
import dev.durable.internal.runtime.FacetTest.Parent;
import dev.durable.internal.runtime.FacetTest.ParentApi;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with many objects that have facets: every stored facet alarm is scheduled, while only
 * the facets' stores that hold one are read, and none stays open.
 */
class FacetStartupTest {
  /** Where a namespace lists the objects whose facets have alarms (see AlarmStore). */
  private static final String OWNERS_TABLE = "_durable_FACET_ALARM_OWNER";

  @TempDir
  Path dir;
  private final StepClock clock = new StepClock(T0);
  private DurableRuntime runtime;

  @BeforeEach
  void setUp() {
    Child.alarms.clear();
    runtime = start();
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private DurableRuntime start() {
    return DurableRuntime.builder().idleTimeout(Duration.ZERO).clock(clock).stateDirectory(dir)
        .bind("PARENT", Parent.class).build();
  }

  private void restart() {
    runtime.close();
    runtime = start();
  }

  @Test
  void afterARestartEveryFacetAlarmFiresAndNoFacetFileIsOpen() throws Exception {
    for (String p : List.of("a", "b", "c", "d", "e")) {
      parent(p).note("f", "hello"); // every parent has a facet with a file and an alarm store
    }
    parent("b").remind("f", T0.plusSeconds(10));
    parent("d").remind("f", T0.plusSeconds(20));
    parent("d").remind("g", T0.plusSeconds(30));

    restart();

    assertThat(openFacetFiles()).as("files under .facets/ open right after start-up").isEmpty();
    assertThat(listedOwners()).as("the objects listed as having facets with alarms")
        .containsExactlyInAnyOrder(ownerId("b"), ownerId("d"));
    clock.advance(Duration.ofSeconds(30));
    assertThat(Child.alarms).containsExactly("f@" + T0.plusSeconds(10), "f@" + T0.plusSeconds(20),
        "g@" + T0.plusSeconds(30));
  }

  @Test
  void stateWithoutTheListStillGetsEveryFacetAlarmAndTheListIsMade() throws Exception {
    parent("a").note("f", "no alarm");
    parent("b").remind("f", T0.plusSeconds(10));
    parent("c").remind("f", T0.minusSeconds(5)); // due while the runtime is down
    runtime.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + namespaceDir().resolve("metadata.sqlite"));
         Statement st = c.createStatement()) {
      st.execute("DROP TABLE " + OWNERS_TABLE); // as written before the list existed
    }

    runtime = start();
    assertThat(openFacetFiles()).as("files under .facets/ open right after start-up").isEmpty();
    clock.advance(Duration.ZERO);

    assertThat(Child.alarms).as("the due alarm fires at start").containsExactly("f@" + T0.minusSeconds(5));
    assertThat(listedOwners()).as("the list made from reading every object's facets")
        .containsExactlyInAnyOrder(ownerId("b"), ownerId("c"));
    restart();
    assertThat(listedOwners()).as("c's alarm has fired").containsExactly(ownerId("b"));
    clock.advance(Duration.ofSeconds(10));
    assertThat(Child.alarms).containsExactly("f@" + T0.minusSeconds(5), "f@" + T0.plusSeconds(10));
  }

  @Test
  void anAlarmSetRightBeforeTheProcessStopsFiresAfterTheRestart() throws Exception {
    parent("a").note("f", "no alarm yet");
    restart();
    parent("a").remind("f", T0.plusSeconds(10)); // the parent's first facet alarm, the last write
    restart();
    clock.advance(Duration.ofSeconds(10));
    assertThat(Child.alarms).containsExactly("f@" + T0.plusSeconds(10));

    restart();
    assertThat(listedOwners()).as("dropped once its facets have no alarm left").isEmpty();
    parent("a").remind("f", T0.plusSeconds(20));
    restart();
    clock.advance(Duration.ofSeconds(10));
    assertThat(Child.alarms).containsExactly("f@" + T0.plusSeconds(10), "f@" + T0.plusSeconds(20));
  }

  @Test
  void aListEntryOrDirectoryThatIsNoObjectIdIsSkippedAndDropped() throws Exception {
    parent("b").remind("f", T0.plusSeconds(10));
    runtime.close();
    // A copy of b's facets outside the namespace, alarm included: read, it would fire twice.
    Path outside = dir.resolve("outside.facets");
    try (Stream<Path> files = Files.walk(namespaceDir().resolve(ownerId("b") + ".facets"))) {
      Path from = namespaceDir().resolve(ownerId("b") + ".facets");
      for (Path p : files.toList()) {
        Files.copy(p, outside.resolve(from.relativize(p).toString()));
      }
    }
    Files.createDirectories(namespaceDir().resolve("notes.facets"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + namespaceDir().resolve("metadata.sqlite"));
         Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + OWNERS_TABLE + " VALUES ('../../outside'), ('notes')");
    }

    runtime = start();

    assertThat(listedOwners()).as("only the object's id stays listed").containsExactly(ownerId("b"));
    clock.advance(Duration.ofSeconds(10));
    assertThat(Child.alarms).containsExactly("f@" + T0.plusSeconds(10));
  }

  private ParentApi parent(String name) {
    return runtime.env().durableObject("PARENT").getByName(name, ParentApi.class);
  }

  private String ownerId(String parent) {
    return runtime.env().durableObject("PARENT").idFromName(parent).toString();
  }

  private Path namespaceDir() {
    return dir.resolve("do").resolve(runtime.namespace("PARENT").namespaceId());
  }

  /** The rows of the list in the namespace's metadata.sqlite, read from another connection. */
  private List<String> listedOwners() throws SQLException {
    List<String> owners = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + namespaceDir().resolve("metadata.sqlite"));
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT owner_id FROM " + OWNERS_TABLE)) {
      while (rs.next()) {
        owners.add(rs.getString(1));
      }
    }
    return owners;
  }

  /** The files under a facets directory this process holds open (none where /proc is missing). */
  private static List<String> openFacetFiles() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return List.of();
    }
    try (Stream<Path> links = Files.list(fds)) {
      return links.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          return ""; // closed meanwhile
        }
      }).filter(f -> f.contains(".facets/")).toList();
    }
  }
}
