package dev.durable.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules as compiled: the API is what the {@code api/*.api} files record, machinery is
 * internal, and each module uses only the internals granted to it. ARCHITECTURE.md says why.
 */
class ArchitectureTest {
  /** The packages of the modules other than the emulator. */
  private static final List<String> MODULES = List.of("dev.durable.explorer..", "dev.durable.repl..",
      "dev.durable.testkit..", "dev.durable.samples..", "dev.durable.agents..", "dev.durable.maven..");

  /**
   * The emulator's internals each other module may use: the qualified exports. Everything about
   * objects goes through {@code DurableRuntime.tools()} instead.
   */
  private static final Map<String, List<String>> GRANTED = Map.of(
      "dev.durable.explorer..", List.of("dev.durable.internal.server..", "dev.durable.internal.json.."),
      // The REPL is a command of the durable command line: it reads its options as the others do.
      "dev.durable.repl..", List.of("dev.durable.internal.server..", "dev.durable.internal.config..",
          "dev.durable.internal.reload..", "dev.durable.internal.cli.."),
      "dev.durable.testkit..", List.of("dev.durable.internal.json..", "dev.durable.internal.config..",
          "dev.durable.internal.migration.."),
      "dev.durable.samples..", List.of(),
      "dev.durable.agents..", List.of(),
      // The Maven plugin runs the emulator in a JVM of its own and names only its entry point.
      "dev.durable.maven..", List.of());

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.durable");
  }

  @Test
  void publicTypesOutsideTheApiPackagesLiveUnderInternal() {
    Rules.machineryIsInternal(MODULES).check(main);
  }

  @Test
  void eachModuleUsesOnlyTheInternalsGrantedToIt() {
    GRANTED.forEach((module, granted) -> Rules.usesOnlyGrantedInternals(module, granted).check(main));
  }

  @Test
  void onlyStorageTouchesJdbcOrNamesInternalTables() throws IOException {
    for (String module : List.of("dev.durable.explorer..", "dev.durable.repl..", "dev.durable.testkit..")) {
      Rules.noJdbc(module).check(main);
    }
    for (String module : List.of("explorer-api", "repl", "test-kit")) {
      try (Stream<Path> files = Files.walk(root().resolve(module).resolve("src/main"))) {
        List<String> naming = files.filter(Files::isRegularFile)
            .filter(f -> read(f).contains("_cf_KV") || read(f).contains("__miniflare_do_name"))
            .map(f -> root().relativize(f).toString()).toList();
        assertThat(naming).as("main code of %s naming storage's internal tables", module).isEmpty();
      }
    }
  }

  @Test
  void theInternalPackagesDependOnEachOtherInOneDirection() {
    Rules.internalPackagesHaveNoCycles().check(main);
  }

  @Test
  void theEmulatorsPublicApiIsTheOneRecorded() throws IOException {
    checkApi(Rules.API_PACKAGES, root().resolve("emulator/api/durable-emulator.api"));
  }

  @Test
  void theTestKitsPublicApiIsTheOneRecorded() throws IOException {
    checkApi(List.of("dev.durable.testkit"), root().resolve("test-kit/api/durable-test-kit.api"));
  }

  @Test
  void theAgentsLibrarysPublicApiIsTheOneRecorded() throws IOException {
    checkApi(List.of("dev.durable.agents", "dev.durable.agents.testing"),
        root().resolve("agents/api/durable-agents.api"));
  }

  /**
   * Compares the API of {@code packages} with the file; {@code -Dapi.update=true} rewrites the
   * file instead, for a change that is meant.
   */
  private static void checkApi(List<String> packages, Path file) throws IOException {
    List<Class<?>> classes = main.stream()
        .filter(c -> packages.contains(c.getPackageName()))
        .map(JavaClass::reflect)
        .<Class<?>>map(c -> c)
        .toList();
    String actual = ApiSignature.of(classes);
    if (Boolean.getBoolean("api.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    String expected = Files.exists(file) ? Files.readString(file) : "";
    assertThat(ApiSignature.diff(expected, actual))
        .as("The public API differs from %s (+ added, - removed). If the change is meant, run the"
            + " architecture tests with -Dapi.update=true and commit the file.", root().relativize(file))
        .isEmpty();
  }

  /** The reactor's root directory (the tests run in the architecture module's). */
  static Path root() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
