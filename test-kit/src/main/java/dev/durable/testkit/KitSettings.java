package dev.durable.testkit;

import dev.durable.DurableObject;
import dev.durable.Worker;
import dev.durable.runtime.DurableRuntime;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** What a kit builds each runtime from: the builder's or the annotation's choices. */
record KitSettings(
    Map<String, Class<? extends DurableObject>> bindings,
    Map<String, Object> vars,
    Worker worker,
    List<Consumer<DurableRuntime.Builder>> customizers,
    boolean sharedState,
    boolean storageOnDisk,
    Instant start) {

  KitSettings {
    bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    customizers = List.copyOf(customizers);
  }

  /** The settings of {@link DurableObjectsTest} on the class, a superclass or an enclosing class. */
  static KitSettings fromAnnotation(Class<?> testClass) {
    DurableObjectsTest a = null;
    for (Class<?> c = testClass; c != null && a == null; c = c.getEnclosingClass()) {
      a = c.getAnnotation(DurableObjectsTest.class);
    }
    if (a == null) {
      throw new ExtensionConfigurationException("DurableObjectsExtension needs its bindings: annotate"
          + " the class with @DurableObjectsTest(bindings = ...) or register a kit made by"
          + " DurableObjectsExtension.builder() with @RegisterExtension");
    }
    DurableObjectsExtension.Builder b = DurableObjectsExtension.builder();
    if (!a.config().isEmpty()) {
      b.config(Path.of(a.config()));
    }
    for (Bind bind : a.bindings()) {
      b.bind(bind.name(), bind.type());
    }
    if (a.worker() != Worker.class) {
      b.worker(instantiate(a.worker()));
    }
    if (a.sharedState()) {
      b.sharedState();
    }
    if (a.storageOnDisk()) {
      b.storageOnDisk();
    }
    try {
      b.startingAt(Instant.parse(a.startAt()));
    } catch (DateTimeParseException e) {
      throw new ExtensionConfigurationException("@DurableObjectsTest(startAt = \"" + a.startAt()
          + "\") is not an ISO-8601 instant such as 2026-01-01T00:00:00Z", e);
    }
    return b.settings();
  }

  private static Worker instantiate(Class<? extends Worker> type) {
    try {
      Constructor<? extends Worker> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c.newInstance();
    } catch (NoSuchMethodException e) {
      throw new ExtensionConfigurationException("Worker " + type.getName()
          + " needs a no-argument constructor to be used in @DurableObjectsTest(worker = ...)", e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ExtensionConfigurationException("Could not construct worker " + type.getName() + ": "
          + cause, cause);
    }
  }
}
