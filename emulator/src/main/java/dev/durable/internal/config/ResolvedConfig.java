package dev.durable.internal.config;

import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Worker;
import dev.durable.internal.config.DurableConfig.Binding;
import dev.durable.runtime.DurableRuntime;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration whose classes are loaded: ready to configure a runtime. Live reload resolves
 * the same {@link DurableConfig} again against a new class loader.
 *
 * <pre>{@code
 * DurableRuntime runtime = config.resolveClasses(loader)
 *     .applyTo(DurableRuntime.builder().stateDirectory(dir))
 *     .build();
 * }</pre>
 *
 * @param config the configuration these classes came from
 * @param bindings the Durable Object class of each binding, in the order written
 * @param workerConstructor the worker's constructor, or null when {@code main} is not set
 */
public record ResolvedConfig(DurableConfig config,
    Map<String, Class<? extends DurableObject>> bindings,
    Constructor<? extends Worker> workerConstructor) {
  static ResolvedConfig resolve(DurableConfig config, ClassLoader loader) {
    Map<String, Class<? extends DurableObject>> bindings = new LinkedHashMap<>();
    for (Binding b : config.bindings()) {
      bindings.put(b.name(), objectClass(config, b, loader));
    }
    Constructor<? extends Worker> worker = config.main().isEmpty() ? null
        : workerConstructor(config, config.main().get(), config.mainLocation().get(), loader);
    return new ResolvedConfig(config, Collections.unmodifiableMap(bindings), worker);
  }

  /** The worker class, if {@code main} is set. */
  public Optional<Class<? extends Worker>> workerClass() {
    return Optional.ofNullable(workerConstructor).map(Constructor::getDeclaringClass);
  }

  /**
   * A new instance of the worker, if {@code main} is set.
   *
   * @throws ConfigException naming {@code main} when the constructor throws
   */
  public Optional<Worker> newWorker() {
    if (workerConstructor == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(workerConstructor.newInstance());
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new ConfigException(config.source(), config.mainLocation().get(), "the constructor of "
          + workerConstructor.getDeclaringClass().getName() + " threw " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(config.source(), config.mainLocation().get(), "could not construct "
          + workerConstructor.getDeclaringClass().getName() + ": " + e, e);
    }
  }

  /**
   * Sets the script name, the bindings, the vars and a new worker instance on a runtime builder,
   * and returns it for the rest of its settings (state directory, clock, ...).
   */
  public DurableRuntime.Builder applyTo(DurableRuntime.Builder builder) {
    builder.scriptName(config.name()).vars(config.vars());
    bindings.forEach(builder::bind);
    newWorker().ifPresent(builder::worker);
    return builder;
  }

  private static Class<? extends DurableObject> objectClass(DurableConfig config, Binding b,
      ClassLoader loader) {
    Class<?> cls = load(config, b.className(), b.at(), loader);
    if (!DurableObject.class.isAssignableFrom(cls)) {
      throw new ConfigException(config.source(), b.at(), cls.getName() + " is not a Durable Object:"
          + " it must extend " + DurableObject.class.getName() + otherCopyHint(cls, DurableObject.class));
    }
    int modifiers = cls.getModifiers();
    if (Modifier.isAbstract(modifiers) || !Modifier.isPublic(modifiers)) {
      throw new ConfigException(config.source(), b.at(), cls.getName()
          + " must be a public, non-abstract class");
    }
    try {
      cls.getConstructor(DurableObjectState.class, Env.class);
    } catch (NoSuchMethodException e) {
      throw new ConfigException(config.source(), b.at(), cls.getName() + " needs a public"
          + " constructor (DurableObjectState ctx, Env env)");
    }
    return cls.asSubclass(DurableObject.class);
  }

  private static Constructor<? extends Worker> workerConstructor(DurableConfig config, String name,
      KeyLocation at, ClassLoader loader) {
    Class<?> cls = load(config, name, at, loader);
    if (!Worker.class.isAssignableFrom(cls)) {
      throw new ConfigException(config.source(), at, cls.getName() + " is not a worker: it must"
          + " implement " + Worker.class.getName() + otherCopyHint(cls, Worker.class));
    }
    int modifiers = cls.getModifiers();
    if (cls.isInterface() || Modifier.isAbstract(modifiers) || !Modifier.isPublic(modifiers)) {
      throw new ConfigException(config.source(), at, cls.getName()
          + " must be a public, non-abstract class");
    }
    try {
      return cls.asSubclass(Worker.class).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new ConfigException(config.source(), at, cls.getName()
          + " needs a public constructor without parameters");
    }
  }

  /** Loads a class by its binary or canonical name ({@code a.Outer.Inner} finds {@code a.Outer$Inner}). */
  private static Class<?> load(DurableConfig config, String name, KeyLocation at, ClassLoader loader) {
    String candidate = name;
    while (true) {
      try {
        return Class.forName(candidate, false, loader);
      } catch (ClassNotFoundException e) {
        int dot = candidate.lastIndexOf('.');
        if (dot < 0) {
          throw new ConfigException(config.source(), at, "class " + name + " was not found (is it"
              + " compiled, and is its directory or jar on the classpath?)");
        }
        candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
      } catch (LinkageError e) {
        throw new ConfigException(config.source(), at, "class " + name + " could not be loaded: " + e, e);
      }
    }
  }

  /** Explains the case where a class extends our type as loaded by another class loader. */
  private static String otherCopyHint(Class<?> cls, Class<?> expected) {
    for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(expected.getName()) && c != expected) {
        return " (it extends another copy of it, from a different class loader: keep the"
            + " emulator's own jar off the project classpath)";
      }
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals(expected.getName()) && i != expected) {
          return " (it implements another copy of it, from a different class loader: keep the"
              + " emulator's own jar off the project classpath)";
        }
      }
    }
    return "";
  }
}
