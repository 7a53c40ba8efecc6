package dev.durable.internal.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.internal.config.ConfigException;
import dev.durable.internal.config.DurableConfig.ClassRename;
import dev.durable.internal.config.DurableConfig.Migration;
import dev.durable.internal.config.DurableConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Applies a configuration's pending migrations to a state directory (see {@link #migrate}).
 *
 * <p>A rename is built as a re-keyed copy in {@code do/<script>-<New>.migrating}, which holds a
 * marker file {@value #MARKER} naming the migration, and is then moved into place in one atomic
 * directory move. Only after the migration's tag is recorded are the old directory and the
 * marker removed. So an exception leaves the old state untouched, and a process killed at any
 * point leaves either the old state alone (the copy is discarded on the next run) or both, with
 * the marker telling the next run to finish the job.
 */
public final class StateMigration {
  static final String MARKER = "rename-in-progress.json";
  private static final String STAGING_SUFFIX = ".migrating";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record RenameMarker(String tag, String from, String to) {}

  private final DurableConfig config;
  private final Path doDirectory;
  private final DeletedClassState deletedState;
  private final List<String> applied = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /**
   * Applies the migrations not yet applied of a config to a state directory ({@code <state>/do/...}), in
   * order, and records them in {@code <state>/do/migrations.json} so each runs once. Run it
   * before a runtime opens the directory.
   *
   * <ul>
   *   <li>{@code renamed_classes}: the old class's objects move to the new class's directory,
   *       re-keyed so that {@code idFromName} in the new namespace finds them, alarms included.
   *       Refused when the new class already has state. Built beside and swapped in: a failure
   *       leaves the old state as it was.
   *   <li>{@code deleted_classes}: the state is kept, with a warning naming the directory, until
   *       the caller passes {@link DeletedClassState#REMOVE}.
   *   <li>{@code new_sqlite_classes}: nothing to do; every class is SQLite-backed.
   * </ul>
   *
   * @throws ConfigException when a migration cannot run; nothing of that migration is lost
   */
  public static MigrationReport migrate(DurableConfig config, Path stateDirectory,
      DeletedClassState deletedState) {
    return new StateMigration(config, stateDirectory, deletedState).run();
  }

  private StateMigration(DurableConfig config, Path stateDirectory, DeletedClassState deletedState) {
    if (stateDirectory == null) {
      throw new IllegalArgumentException("Migrations need a state directory; in memory there is nothing to migrate");
    }
    this.config = config;
    this.doDirectory = stateDirectory.resolve("do");
    this.deletedState = deletedState == null ? DeletedClassState.KEEP : deletedState;
  }

  private MigrationReport run() {
    AppliedMigrations record = AppliedMigrations.read(doDirectory, config.name());
    finishInterruptedRenames(record);
    for (Migration m : config.migrations()) {
      if (record.contains(m.tag())) {
        continue;
      }
      List<ClassRename> moved = new ArrayList<>();
      for (ClassRename r : m.renamedClasses()) {
        if (rename(m, r)) {
          moved.add(r);
        }
      }
      if (deletedState == DeletedClassState.REMOVE) {
        m.deletedClasses().forEach(c -> removeDeleted(c, m.tag()));
      }
      record.record(m.tag());
      applied.add(m.tag());
      moved.forEach(r -> finishRename(r.from(), r.to()));
    }
    keepOrRemoveDeletedState();
    return new MigrationReport(applied, actions, warnings);
  }

  /** Moves the state of one class to another; false when there was nothing to move. */
  private boolean rename(Migration m, ClassRename r) {
    Path from = namespaceDirectory(r.from());
    Path to = namespaceDirectory(r.to());
    RenameMarker marker = new RenameMarker(m.tag(), r.from(), r.to());
    if (marker.equals(readMarker(to))) {
      actions.add("migration \"" + m.tag() + "\": resuming the interrupted move of " + r.from()
          + " to " + r.to());
      return true;
    }
    if (!Files.isDirectory(from)) {
      actions.add("migration \"" + m.tag() + "\": " + r.from() + " has no state to move to " + r.to());
      return false;
    }
    if (hasEntries(to)) {
      throw new ConfigException(config.source(), r.at(), "cannot rename " + r.from() + " to " + r.to()
          + ": " + to + " already holds state of " + r.to() + ". Nothing was changed; move that"
          + " directory away (or delete it) and start again, or drop this rename");
    }
    Path staging = doDirectory.resolve(config.name() + "-" + r.to() + STAGING_SUFFIX);
    try {
      deleteTree(staging);
      int objects = new RekeyedCopy(config.name() + "-" + r.from(), config.name() + "-" + r.to(),
          warnings).copy(from, staging);
      MAPPER.writeValue(staging.resolve(MARKER).toFile(), marker);
      Files.deleteIfExists(to); // an empty directory, if any: checked above
      Files.move(staging, to, StandardCopyOption.ATOMIC_MOVE);
      actions.add("migration \"" + m.tag() + "\": moved " + objects + " object" + (objects == 1 ? "" : "s")
          + " of " + r.from() + " to " + r.to() + " (" + to + "), re-keyed for the new namespace");
      return true;
    } catch (Exception e) {
      String cleanup = "";
      try {
        deleteTree(staging);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
        cleanup = " (the partial copy " + staging + " could not be removed; it is discarded on the next run)";
      }
      throw new ConfigException(config.source(), r.at(), "could not rename " + r.from() + " to "
          + r.to() + ": " + e.getMessage() + ". Nothing was changed: the state of " + r.from()
          + " is still in " + from + cleanup, e);
    }
  }

  /** After the tag is recorded: the old directory goes, then the marker. */
  private void finishRename(String fromClass, String toClass) {
    Path from = namespaceDirectory(fromClass);
    Path to = namespaceDirectory(toClass);
    try {
      deleteTree(from);
      Files.deleteIfExists(to.resolve(MARKER));
    } catch (IOException e) {
      warnings.add("the state of " + fromClass + " was moved to " + to + ", but the old directory "
          + from + " could not be removed (" + e + "); the next start tries again");
    }
  }

  /** Finishes renames whose tag was recorded before the process stopped; drops stale copies. */
  private void finishInterruptedRenames(AppliedMigrations record) {
    if (!Files.isDirectory(doDirectory)) {
      return;
    }
    String prefix = config.name() + "-";
    for (Path dir : list(doDirectory)) {
      String name = dir.getFileName().toString();
      if (!name.startsWith(prefix) || !Files.isDirectory(dir)) {
        continue;
      }
      if (name.endsWith(STAGING_SUFFIX)) {
        try {
          deleteTree(dir);
        } catch (IOException e) {
          warnings.add("could not remove the unfinished copy " + dir + ": " + e);
        }
        continue;
      }
      RenameMarker marker = readMarker(dir);
      if (marker != null && record.contains(marker.tag())) {
        finishRename(marker.from(), marker.to());
        actions.add("migration \"" + marker.tag() + "\": finished the interrupted move of "
            + marker.from() + " to " + marker.to());
      }
    }
  }

  private void removeDeleted(String className, String tag) {
    Path dir = namespaceDirectory(className);
    if (!Files.exists(dir)) {
      return;
    }
    try {
      deleteTree(dir);
      actions.add("migration \"" + tag + "\": deleted the state of " + className + " (" + dir + ")");
    } catch (IOException e) {
      throw new ConfigException(config.source(), null, 0, 0, "could not delete the state of "
          + className + " in " + dir + ": " + e, e);
    }
  }

  /**
   * Classes deleted by a migration and not created again later: their state goes when the caller
   * confirmed, and is otherwise kept with a warning, on every run until it is gone.
   */
  private void keepOrRemoveDeletedState() {
    Map<String, String> deletedBy = new LinkedHashMap<>();
    for (Migration m : config.migrations()) {
      m.newSqliteClasses().forEach(deletedBy::remove);
      m.renamedClasses().forEach(r -> deletedBy.remove(r.to()));
      m.deletedClasses().forEach(c -> deletedBy.put(c, m.tag()));
    }
    deletedBy.forEach((className, tag) -> {
      Path dir = namespaceDirectory(className);
      if (deletedState == DeletedClassState.REMOVE) {
        removeDeleted(className, tag); // when it exists
      } else if (Files.exists(dir)) {
        warnings.add("class " + className + " was deleted by migration \"" + tag + "\", but its"
            + " state is kept in " + dir + " until you confirm: start with --delete-state to"
            + " remove it, or delete that directory yourself");
      }
    });
  }

  private Path namespaceDirectory(String simpleClassName) {
    return doDirectory.resolve(config.name() + "-" + simpleClassName);
  }

  private RenameMarker readMarker(Path namespaceDirectory) {
    Path file = namespaceDirectory.resolve(MARKER);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return MAPPER.readValue(file.toFile(), RenameMarker.class);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, 0, 0, "could not read the marker of an"
          + " interrupted rename: " + e.getMessage(), e);
    }
  }

  private static boolean hasEntries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Files.exists(dir);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return true;
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new ConfigException(dir.toString(), null, 0, 0, "could not list the state directory: " + e, e);
    }
  }

  /** Deletes a directory and everything under it; nothing when it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
