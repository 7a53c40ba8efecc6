package dev.durable.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture as rules: which packages are API, which internals each module may use, and
 * that the internal packages do not depend on each other in circles. ARCHITECTURE.md explains
 * them; {@link ArchitectureTest} checks them against the compiled modules.
 */
final class Rules {
  /** The packages users compile against: the programming model and embedding. */
  static final List<String> API_PACKAGES = List.of("dev.durable", "dev.durable.runtime");
  static final String INTERNAL = "dev.durable.internal..";

  private Rules() {}

  /**
   * A public top-level type under {@code dev.durable} is API or internal machinery: anything
   * else must be package-private. {@code modules} are the packages of the other modules, which
   * have public types of their own.
   */
  static ArchRule machineryIsInternal(List<String> modules) {
    List<String> allowed = new ArrayList<>(API_PACKAGES);
    allowed.add(INTERNAL);
    allowed.addAll(modules);
    return classes().that().resideInAPackage("dev.durable..")
        .and().resideOutsideOfPackages(allowed.toArray(String[]::new))
        .and().areTopLevelClasses()
        .should().notBePublic()
        .allowEmptyShould(true)
        .because("public outside the API packages means 'for users'; machinery goes under"
            + " dev.durable.internal (ARCHITECTURE.md)");
  }

  /**
   * A module's code uses the emulator's API, and of its internals only the packages granted to
   * it (the qualified exports of ARCHITECTURE.md).
   */
  static ArchRule usesOnlyGrantedInternals(String module, List<String> granted) {
    return noClasses().that().resideInAPackage(module)
        .should().dependOnClassesThat(resideInAPackage(INTERNAL)
            .and(not(resideInAnyPackage(granted.toArray(String[]::new))))
            .as("internals not granted to it " + granted))
        .because("tools reach objects through DurableRuntime.tools(), never the runtime's insides");
  }

  /** Only storage holds JDBC connections. */
  static ArchRule noJdbc(String module) {
    return noClasses().that().resideInAPackage(module)
        .should().dependOnClassesThat().resideInAPackage("java.sql..")
        .because("only the emulator's storage holds JDBC connections");
  }

  /** The internal packages depend on each other in one direction only. */
  static ArchRule internalPackagesHaveNoCycles() {
    return slices().matching("dev.durable.internal.(*)..").should().beFreeOfCycles();
  }
}
