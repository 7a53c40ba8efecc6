package dev.durable.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.internal.config.ConfigException;
import dev.durable.internal.config.ConfigTestObjects.CounterApi;
import dev.durable.internal.config.ConfigTestObjects;
import dev.durable.internal.config.DurableConfig;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.internal.runtime.StepClock;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String OBJECTS = ConfigTestObjects.class.getName();
  private static final String V1 = "{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"OldCounter\"] }";
  private static final String V2_RENAME =
      "{ \"tag\": \"v2\", \"renamed_classes\": [ { \"from\": \"OldCounter\", \"to\": \"NewCounter\" } ] }";

  @TempDir
  Path state;
  private Path oldDir;
  private Path newDir;

  @BeforeEach
  void setUp() {
    ConfigTestObjects.alarms.clear();
    oldDir = state.resolve("do/app-OldCounter");
    newDir = state.resolve("do/app-NewCounter");
  }

  private static DurableConfig config(String boundClass, String... migrations) {
    String bindings = boundClass == null ? "" : "\"durable_objects\": { \"bindings\": [ { \"name\":"
        + " \"COUNTER\", \"class_name\": \"" + OBJECTS + "$" + boundClass + "\" } ] },\n";
    return DurableConfig.parse("{ \"name\": \"app\",\n" + bindings
        + "\"migrations\": [\n" + String.join(",\n", migrations) + "\n] }", "durable.jsonc");
  }

  private DurableRuntime runtime(DurableConfig config, StepClock clock) {
    return config.resolveClasses(getClass().getClassLoader())
        .applyTo(DurableRuntime.builder().stateDirectory(state).clock(clock).idleTimeout(Duration.ZERO))
        .build();
  }

  private static CounterApi counter(DurableRuntime runtime, String name) {
    return runtime.env().durableObject("COUNTER").getByName(name, CounterApi.class);
  }

  /** Objects "a" (with a SQL row and an alarm), "b", and one unnamed; returns the unnamed id. */
  private String seedOldCounterState() {
    DurableConfig before = config("OldCounter", V1);
    assertThat(StateMigration.migrate(before, state, DeletedClassState.KEEP).appliedTags()).containsExactly("v1");
    try (DurableRuntime runtime = runtime(before, new StepClock(T0))) {
      counter(runtime, "a").increment(5);
      counter(runtime, "a").putRow("hello");
      counter(runtime, "a").alarmAt(T0.plusSeconds(60));
      counter(runtime, "b").increment(7);
      DurableObjectNamespace ns = runtime.env().durableObject("COUNTER");
      DurableObjectId unnamed = ns.newUniqueId();
      ns.get(unnamed, CounterApi.class).increment(3);
      return unnamed.toString();
    }
  }

  /** Every file under a directory with its content, to show nothing changed. */
  private static Map<String, String> snapshot(Path dir) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        try {
          files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  @Test
  void aRenameMovesTheStateAndReKeysItSoNamesFindTheirStateAndAlarms() {
    String unnamedOld = seedOldCounterState();

    MigrationReport report = StateMigration.migrate(config("NewCounter", V1, V2_RENAME), state, DeletedClassState.KEEP);

    assertThat(report.appliedTags()).containsExactly("v2");
    assertThat(report.actions()).singleElement().asString()
        .startsWith("migration \"v2\": moved 3 objects of OldCounter to NewCounter");
    assertThat(report.warnings()).isEmpty();
    assertThat(oldDir).doesNotExist();
    assertThat(newDir.resolve(StateMigration.MARKER)).doesNotExist();

    StepClock clock = new StepClock(T0);
    try (DurableRuntime runtime = runtime(config("NewCounter", V1, V2_RENAME), clock)) {
      assertThat(counter(runtime, "a").get()).as("key-value state of \"a\"").isEqualTo(5);
      assertThat(counter(runtime, "a").rows()).as("SQL state of \"a\"").containsExactly("hello");
      assertThat(counter(runtime, "a").name()).isEqualTo("a");
      assertThat(counter(runtime, "b").get()).isEqualTo(7);
      assertThat(counter(runtime, "c").get()).as("a name that had no state").isZero();

      DurableObjectNamespace ns = runtime.env().durableObject("COUNTER");
      String unnamedNew = ((ObjectNamespace) runtime.namespace("COUNTER")).storedIds().stream()
          .filter(id -> id.startsWith(unnamedOld.substring(0, 32))).findFirst().orElseThrow();
      assertThat(unnamedNew).as("the MAC half changes with the namespace").isNotEqualTo(unnamedOld);
      assertThat(ns.get(ns.idFromString(unnamedNew), CounterApi.class).get()).isEqualTo(3);

      clock.advance(Duration.ofSeconds(59));
      assertThat(ConfigTestObjects.alarms).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      assertThat(ConfigTestObjects.alarms).containsExactly("NewCounter a@" + T0.plusSeconds(60));
    }
  }

  @Test
  void aRenamedObjectsFacetsFollowItToItsNewId() throws IOException {
    seedOldCounterState();
    String oldId = new dev.durable.internal.runtime.IdDerivation("app-OldCounter").fromName("a").toString();
    Path facet = Files.createDirectories(oldDir.resolve(oldId + ".facets/some.Child"))
        .resolve("facet.sqlite");
    Files.writeString(facet, "the facet's file");

    MigrationReport report = StateMigration.migrate(config("NewCounter", V1, V2_RENAME), state, DeletedClassState.KEEP);

    assertThat(report.warnings()).isEmpty();
    String newId = new dev.durable.internal.runtime.IdDerivation("app-NewCounter").fromName("a").toString();
    assertThat(newDir.resolve(newId + ".facets/some.Child/facet.sqlite")).hasContent("the facet's file");
    assertThat(newDir.resolve(oldId + ".facets")).doesNotExist();
  }

  @Test
  void aRenamedObjectsAlarmKeepsItsRetryCount() throws Exception {
    seedOldCounterState(); // "a" has an alarm at T0 + 60 s
    String oldId = new dev.durable.internal.runtime.IdDerivation("app-OldCounter").fromName("a").toString();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + oldDir.resolve("metadata.sqlite"));
        java.sql.Statement st = c.createStatement()) {
      st.execute("INSERT INTO _durable_ALARM_RETRY VALUES ('" + oldId + "', "
          + T0.plusSeconds(60).toEpochMilli() + ", 2)");
    }

    StateMigration.migrate(config("NewCounter", V1, V2_RENAME), state, DeletedClassState.KEEP);

    String newId = new dev.durable.internal.runtime.IdDerivation("app-NewCounter").fromName("a").toString();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + newDir.resolve("metadata.sqlite"));
        java.sql.ResultSet rs = c.createStatement().executeQuery(
            "SELECT actor_id, retry_count FROM _durable_ALARM_RETRY")) {
      assertThat(rs.next()).as("the retry row is copied").isTrue();
      assertThat(rs.getString(1)).isEqualTo(newId);
      assertThat(rs.getInt(2)).isEqualTo(2);
    }
  }

  @Test
  void eachMigrationRunsOnce() throws IOException {
    seedOldCounterState();
    DurableConfig config = config("NewCounter", V1, V2_RENAME);
    StateMigration.migrate(config, state, DeletedClassState.KEEP);
    Map<String, String> migrated = snapshot(newDir);
    Files.createDirectories(oldDir);
    Files.writeString(oldDir.resolve("notes.txt"), "made after the rename");

    MigrationReport again = StateMigration.migrate(config, state, DeletedClassState.KEEP);

    assertThat(again.appliedTags()).isEmpty();
    assertThat(again.actions()).isEmpty();
    assertThat(snapshot(newDir)).isEqualTo(migrated);
    assertThat(oldDir.resolve("notes.txt")).hasContent("made after the rename");
    assertThat(state.resolve("do/migrations.json")).content()
        .isEqualToIgnoringWhitespace("{ \"app\": [\"v1\", \"v2\"] }");
  }

  @Test
  void migrationsOfAFreshStateDirectoryAreRecordedWithNothingToMove() {
    MigrationReport report = StateMigration.migrate(config("NewCounter", V1, V2_RENAME), state, DeletedClassState.KEEP);
    assertThat(report.appliedTags()).containsExactly("v1", "v2");
    assertThat(report.actions()).containsExactly(
        "migration \"v2\": OldCounter has no state to move to NewCounter");
    assertThat(newDir).doesNotExist();
  }

  @Test
  void aRenameIsRefusedWhenTheNewClassAlreadyHasState() {
    seedOldCounterState();
    try (DurableRuntime runtime = runtime(config("NewCounter"), new StepClock(T0))) {
      counter(runtime, "a").increment(100);
    }
    Map<String, String> oldBefore = snapshot(oldDir);
    Map<String, String> newBefore = snapshot(newDir);

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> StateMigration.migrate(config("NewCounter", V1, V2_RENAME), state, DeletedClassState.KEEP));

    assertThat(e.getMessage()).startsWith("durable.jsonc:5:37: migrations[1].renamed_classes[0]:"
        + " cannot rename OldCounter to NewCounter: " + newDir + " already holds state of"
        + " NewCounter. Nothing was changed");
    assertThat(snapshot(oldDir)).isEqualTo(oldBefore);
    assertThat(snapshot(newDir)).isEqualTo(newBefore);
    assertThat(state.resolve("do/migrations.json")).content().doesNotContain("v2");
  }

  @Test
  void aRenameThatFailsHalfWayLeavesTheOldStateIntact() throws IOException {
    seedOldCounterState();
    Path broken = oldDir.resolve("f".repeat(64) + ".sqlite");
    Files.writeString(broken, "this is not a SQLite database, but it is somebody's data");
    Map<String, String> before = snapshot(oldDir);
    DurableConfig config = config("NewCounter", V1, V2_RENAME);

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> StateMigration.migrate(config, state, DeletedClassState.KEEP));

    assertThat(e.getMessage()).contains("migrations[1].renamed_classes[0]: could not rename"
        + " OldCounter to NewCounter: " + broken.getFileName() + " could not be read as a SQLite database")
        .contains("Nothing was changed: the state of OldCounter is still in " + oldDir);
    assertThat(snapshot(oldDir)).isEqualTo(before);
    assertThat(newDir).doesNotExist();
    assertThat(state.resolve("do/app-NewCounter.migrating")).doesNotExist();
    assertThat(state.resolve("do/migrations.json")).content().doesNotContain("v2");

    Files.delete(broken);
    assertThat(StateMigration.migrate(config, state, DeletedClassState.KEEP).appliedTags()).containsExactly("v2");
    try (DurableRuntime runtime = runtime(config, new StepClock(T0))) {
      assertThat(counter(runtime, "a").get()).isEqualTo(5);
    }
  }

  @Test
  void aRenameInterruptedAfterTheSwapIsFinishedOnTheNextRun() throws IOException {
    seedOldCounterState();
    Path saved = state.resolve("saved-old");
    copyTree(oldDir, saved);
    DurableConfig config = config("NewCounter", V1, V2_RENAME);
    StateMigration.migrate(config, state, DeletedClassState.KEEP);
    // Put the directory back as a process killed between the swap and the record would leave it.
    copyTree(saved, oldDir);
    Files.writeString(newDir.resolve(StateMigration.MARKER),
        "{\"tag\":\"v2\",\"from\":\"OldCounter\",\"to\":\"NewCounter\"}");
    Files.writeString(state.resolve("do/migrations.json"), "{\"app\": [\"v1\"]}");
    Files.createDirectories(state.resolve("do/app-NewCounter.migrating"));
    Files.writeString(state.resolve("do/app-NewCounter.migrating/partial.sqlite"), "half a copy");

    MigrationReport report = StateMigration.migrate(config, state, DeletedClassState.KEEP);

    assertThat(report.appliedTags()).containsExactly("v2");
    assertThat(report.actions()).containsExactly(
        "migration \"v2\": resuming the interrupted move of OldCounter to NewCounter");
    assertThat(oldDir).doesNotExist();
    assertThat(newDir.resolve(StateMigration.MARKER)).doesNotExist();
    assertThat(state.resolve("do/app-NewCounter.migrating")).doesNotExist();
    try (DurableRuntime runtime = runtime(config, new StepClock(T0))) {
      assertThat(counter(runtime, "a").get()).isEqualTo(5);
    }
  }

  @Test
  void aRenameRecordedButNotCleanedUpIsCleanedUpOnTheNextRun() throws IOException {
    seedOldCounterState();
    Path saved = state.resolve("saved-old");
    copyTree(oldDir, saved);
    DurableConfig config = config("NewCounter", V1, V2_RENAME);
    StateMigration.migrate(config, state, DeletedClassState.KEEP);
    copyTree(saved, oldDir);
    Files.writeString(newDir.resolve(StateMigration.MARKER),
        "{\"tag\":\"v2\",\"from\":\"OldCounter\",\"to\":\"NewCounter\"}");

    MigrationReport report = StateMigration.migrate(config, state, DeletedClassState.KEEP);

    assertThat(report.appliedTags()).isEmpty();
    assertThat(report.actions()).containsExactly(
        "migration \"v2\": finished the interrupted move of OldCounter to NewCounter");
    assertThat(oldDir).doesNotExist();
    assertThat(newDir.resolve(StateMigration.MARKER)).doesNotExist();
  }

  @Test
  void theStateOfADeletedClassIsKeptWithAWarningUntilConfirmed() {
    seedOldCounterState();
    DurableConfig config = config(null, V1, "{ \"tag\": \"v2\", \"deleted_classes\": [\"OldCounter\"] }");
    Map<String, String> before = snapshot(oldDir);

    MigrationReport kept = StateMigration.migrate(config, state, DeletedClassState.KEEP);

    assertThat(kept.appliedTags()).containsExactly("v2");
    assertThat(kept.warnings()).containsExactly("class OldCounter was deleted by migration \"v2\","
        + " but its state is kept in " + oldDir + " until you confirm: start with --delete-state"
        + " to remove it, or delete that directory yourself");
    assertThat(snapshot(oldDir)).isEqualTo(before);
    assertThat(StateMigration.migrate(config, state, DeletedClassState.KEEP).warnings())
        .as("the warning comes back on every start while the state is there").hasSize(1);

    MigrationReport removed = StateMigration.migrate(config, state, DeletedClassState.REMOVE);

    assertThat(removed.appliedTags()).isEmpty();
    assertThat(removed.warnings()).isEmpty();
    assertThat(removed.actions()).containsExactly(
        "migration \"v2\": deleted the state of OldCounter (" + oldDir + ")");
    assertThat(oldDir).doesNotExist();
    assertThat(StateMigration.migrate(config, state, DeletedClassState.KEEP).warnings()).isEmpty();
  }

  @Test
  void aStateDirectoryThatCannotBeMadeIsNamed() throws IOException {
    Path file = Files.writeString(state.resolve("a-file"), "not a directory");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> StateMigration.migrate(config(null, V1), file.resolve("state"), DeletedClassState.KEEP));
    assertThat(e.getMessage()).contains("could not record migration \"v1\" as applied: its directory "
        + file.resolve("state/do") + " cannot be made");
  }

  @Test
  void aConfirmedDeletionRemovesTheStateWhenItsMigrationRuns() {
    seedOldCounterState();
    MigrationReport report = StateMigration.migrate(
        config(null, V1, "{ \"tag\": \"v2\", \"deleted_classes\": [\"OldCounter\"] }"), state,
        DeletedClassState.REMOVE);
    assertThat(report.appliedTags()).containsExactly("v2");
    assertThat(report.actions()).containsExactly(
        "migration \"v2\": deleted the state of OldCounter (" + oldDir + ")");
    assertThat(oldDir).doesNotExist();
  }

  @Test
  void aCorruptRecordOfAppliedMigrationsIsAnErrorNamingTheFile() throws IOException {
    Path record = state.resolve("do/migrations.json");
    Files.createDirectories(record.getParent());
    Files.writeString(record, "[\"v1\"]");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> StateMigration.migrate(config(null, V1), state, DeletedClassState.KEEP));
    assertThat(e.getMessage()).startsWith(record + ": the record of applied migrations is not valid");
    assertThat(record).hasContent("[\"v1\"]");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
