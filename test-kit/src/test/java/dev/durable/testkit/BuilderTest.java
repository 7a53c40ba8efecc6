package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.testkit.fixtures.Counter;
import dev.durable.testkit.fixtures.CounterApi;
import dev.durable.testkit.fixtures.Reminder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuilderTest {
  @Test
  void badBindingsAndValuesAreRefusedNamingWhatIsWrong() {
    DurableObjectsExtension.Builder b = DurableObjectsExtension.builder().bind("COUNTER", Counter.class);

    assertThatThrownBy(() -> b.bind("COUNTER", Reminder.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Binding COUNTER is already bound to " + Counter.class.getName());
    assertThatThrownBy(() -> b.bind(" ", Counter.class)).hasMessage("A binding needs a name, got ' '");
    assertThatThrownBy(() -> b.bind("X", null)).hasMessage("Binding X needs a Durable Object class, got null");
    assertThatThrownBy(() -> b.worker(null)).hasMessage("worker() needs a worker, got null");
    assertThatThrownBy(() -> b.var("", 1)).hasMessage("A variable needs a name, got ''");
    assertThatThrownBy(() -> b.customize(null)).hasMessage("customize() needs a customizer, got null");
    assertThatThrownBy(() -> b.startingAt(null)).hasMessage("startingAt() needs an instant, got null");
  }

  @Test
  void aClassTheRuntimeCannotBuildFailsWhenTheTestStartsWithTheRuntimesReason() {
    KitSettings settings = DurableObjectsExtension.builder().bind("BAD", NotPublic.class).settings();

    assertThatThrownBy(() -> TestRuntime.start(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be public and not abstract");
  }

  static class NotPublic extends Counter {
    NotPublic() {
      super(null, null);
    }
  }

  @Nested
  class Customized {
    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("COUNTER", Counter.class)
        .customize(b -> b.scriptName("shop"))
        .customize(b -> b.var("REGION", "eu"))
        .build();

    @Test
    void customizersChangeEachRuntime() {
      assertThat(dos.env().durableObject("COUNTER").namespaceId()).isEqualTo("shop-Counter");
      assertThat(dos.env().var("REGION")).contains("eu");
    }
  }

  @Nested
  class OnDisk {
    private static final List<Path> directories = new ArrayList<>();

    @RegisterExtension
    DurableObjectsExtension dos = DurableObjectsExtension.builder()
        .bind("COUNTER", Counter.class)
        .storageOnDisk()
        .build();

    @Test
    void storageLivesInATemporaryDirectoryInMiniflaresLayout() {
      Path dir = dos.runtime().stateDirectory();
      directories.add(dir);
      dos.stub("COUNTER", "a").as(CounterApi.class).increment(1);

      assertThat(dir.resolve("do/app-Counter/" + dos.stub("COUNTER", "a").id() + ".sqlite")).exists();
    }

    @Test
    void evictionClosesTheFileAndTheNextEventReopensIt() {
      directories.add(dos.runtime().stateDirectory());
      CounterApi counter = dos.stub("COUNTER", "a").as(CounterApi.class);
      counter.increment(2);
      int before = counter.constructions();

      dos.evict(dos.stub("COUNTER", "a"));

      assertThat(counter.count()).isEqualTo(2);
      assertThat(counter.constructions()).isEqualTo(before + 1);
      assertThat(dos.listIds("COUNTER")).containsExactly(dos.stub("COUNTER", "a").id());
    }

    @AfterAll
    static void eachTestsDirectoryIsDeletedAfterIt() {
      assertThat(directories).hasSize(2).doesNotHaveDuplicates().allSatisfy(d -> assertThat(Files.exists(d)).isFalse());
    }
  }
}
