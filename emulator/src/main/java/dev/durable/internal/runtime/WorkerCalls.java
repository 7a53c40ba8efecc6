package dev.durable.internal.runtime;

import dev.durable.internal.gate.Events;
import java.util.function.Consumer;

/** Tells whoever sent a request to the worker which objects the worker called for it (for logs). */
final class WorkerCalls {
  private static final ThreadLocal<Consumer<String>> OBSERVER = new ThreadLocal<>();

  private WorkerCalls() {}

  static void observe(Consumer<String> observer) {
    OBSERVER.set(observer);
  }

  static void stop() {
    OBSERVER.remove();
  }

  /** Records a call from the worker itself (not from inside another object). */
  static void record(ObjectNamespace namespace, dev.durable.DurableObjectId id) {
    Consumer<String> o = OBSERVER.get();
    if (o != null && Events.current() == null) {
      o.accept(namespace.binding() + "/" + id.name().orElse(id.toString()));
    }
  }
}
