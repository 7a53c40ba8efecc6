package dev.durable.agents;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of an {@link Agent} that clients may call over the WebSocket with an
 * {@code rpc} frame ({@code agent.call("increment", [2])} in JavaScript). Arguments arrive as
 * JSON and are converted to the parameter types; the result goes back as JSON. Methods without
 * this annotation cannot be called by clients.
 *
 * <pre>{@code
 * @Callable
 * public long increment(long by) { ... }
 *
 * @Callable(streaming = true)
 * public void countdown(StreamingResponse stream, int from) {
 *   for (int i = from; i > 0; i--) stream.send(i);
 *   stream.end("liftoff");
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Callable {
  /**
   * Whether the method streams: its first parameter is a {@link StreamingResponse}, each
   * {@code send} reaches the client as a chunk, and {@code end} finishes the call.
   */
  boolean streaming() default false;

  /** What the method does, for people reading a list of an agent's methods. */
  String description() default "";
}
