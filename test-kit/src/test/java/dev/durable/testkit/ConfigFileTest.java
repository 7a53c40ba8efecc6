package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.internal.config.ConfigException;
import dev.durable.testkit.fixtures.CounterApi;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .config(Path.of("src/test/resources/kit-config.jsonc"))
      .build();

  @Test
  void bindingsVarsWorkerAndScriptNameComeFromTheFile() {
    assertThat(dos.stub("COUNTER", "a").as(CounterApi.class).increment(2)).isEqualTo(2);
    assertThat(dos.env().var("GREETING")).hasValue("hello");
    assertThat(dos.worker().fetch("/counter?name=b")).hasStatus(200);
    assertThat(dos.env().durableObject("COUNTER").namespaceId()).isEqualTo("shop-Counter");
  }

  @Test
  void aMistakeInTheFileNamesTheKeyAndLine(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("durable.jsonc");
    Files.writeString(bad, """
        {
          "name": "shop",
          "durable_objects": { "bindings": [ { "name": "X", "class_name": "no.such.Thing" } ] }
        }
        """);
    assertThatThrownBy(() -> DurableObjectsExtension.builder().config(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("durable_objects.bindings[0].class_name")
        .hasMessageContaining(":3:")
        .hasMessageContaining("no.such.Thing");
  }

  @DurableObjectsTest(config = "src/test/resources/kit-config.jsonc")
  @Nested
  class AsAnAnnotation {
    @Test
    void readsTheSameFile(DurableObjectsExtension kit) {
      assertThat(kit.env().durableObject("COUNTER").namespaceId()).isEqualTo("shop-Counter");
    }
  }
}
