package dev.durable.testkit;

import dev.durable.DurableObject;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One binding of {@link DurableObjectsTest}: a Durable Object class under the name the code
 * reaches it by ({@code env.durableObject(name)}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Bind {
  /** The binding name, e.g. {@code COUNTER}. */
  String name();

  /** The Durable Object class bound under the name. */
  Class<? extends DurableObject> type();
}
