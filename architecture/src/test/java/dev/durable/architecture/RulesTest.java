package dev.durable.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.durable.fixture.leak.Leak;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules fail on code that breaks them: fixtures that leak a public type and reach in. */
class RulesTest {
  private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("dev.durable.fixture");

  @Test
  void aPublicTypeOutsideApiAndInternalIsReported() {
    EvaluationResult result = Rules.machineryIsInternal(List.of()).evaluate(FIXTURES);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(Leak.class.getName());
  }

  @Test
  void aModuleReachingIntoInternalsNotGrantedIsReported() {
    EvaluationResult result = Rules.usesOnlyGrantedInternals("dev.durable.fixture.tool..", List.of())
        .evaluate(FIXTURES);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("ObjectDatabase");
    assertThat(Rules.usesOnlyGrantedInternals("dev.durable.fixture.tool..",
        List.of("dev.durable.internal.storage..")).evaluate(FIXTURES).hasViolation())
        .as("granted, the same use passes").isFalse();
  }

  @Test
  void anApiChangeShowsAsADiffOfTheSignature() {
    String recorded = ApiSignature.of(List.of(Leak.class));
    assertThat(recorded).contains("public int dev.durable.fixture.leak.Leak.size()");
    String withoutSize = recorded.replace("  public int dev.durable.fixture.leak.Leak.size()\n", "");
    assertThat(ApiSignature.diff(withoutSize, recorded))
        .containsExactly("+   public int dev.durable.fixture.leak.Leak.size()");
    assertThat(ApiSignature.diff(recorded, withoutSize))
        .containsExactly("-   public int dev.durable.fixture.leak.Leak.size()");
  }
}
