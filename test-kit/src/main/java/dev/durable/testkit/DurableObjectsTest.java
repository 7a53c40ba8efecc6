package dev.durable.testkit;

import dev.durable.Worker;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with Durable Objects in-process, like
 * {@link DurableObjectsExtension#builder()} in a static field; the kit reaches the tests as a
 * parameter.
 *
 * <pre>{@code
 * @DurableObjectsTest(bindings = @Bind(name = "COUNTER", type = Counter.class), worker = App.class)
 * class CounterTest {
 *   @Test
 *   void counts(DurableObjectsExtension dos) {
 *     CounterApi counter = dos.stub("COUNTER", "a").as(CounterApi.class);
 *     assertThat(counter.increment(2)).isEqualTo(2);
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(DurableObjectsExtension.class)
public @interface DurableObjectsTest {
  /**
   * A {@code durable.jsonc} (relative to the working directory, which Maven sets to the module)
   * to take bindings, vars, the worker and the script name from; its classes must be on the test
   * classpath. Empty for none.
   */
  String config() default "";

  /** The Durable Object classes and their binding names (added to the config's, if any). */
  Bind[] bindings() default {};

  /** The worker entry, built once with its no-argument constructor; {@code Worker.class} for none. */
  Class<? extends Worker> worker() default Worker.class;

  /** Whether all tests of the class share one runtime; see {@link DurableObjectsExtension.Builder#sharedState()}. */
  boolean sharedState() default false;

  /** Whether storage lives in a temporary directory; see {@link DurableObjectsExtension.Builder#storageOnDisk()}. */
  boolean storageOnDisk() default false;

  /** Where the manual clock starts, as an ISO-8601 instant. */
  String startAt() default "2026-01-01T00:00:00Z";
}
