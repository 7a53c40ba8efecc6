package dev.durable.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.durable.Request;
import dev.durable.internal.runtime.ObjectNamespace;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvedConfigTest {
  private static final String OBJECTS = ConfigTestObjects.class.getName();
  private static final ClassLoader LOADER = ResolvedConfigTest.class.getClassLoader();

  private static DurableConfig config(String main, String className) {
    return DurableConfig.parse("{\n"
        + "  \"name\": \"shop\",\n"
        + (main == null ? "" : "  \"main\": \"" + main + "\",\n")
        + "  \"vars\": { \"GREETING\": \"hi\" },\n"
        + "  \"durable_objects\": { \"bindings\": [\n"
        + "    { \"name\": \"COUNTER\", \"class_name\": \"" + className + "\" },\n"
        + "  ] },\n"
        + "}\n", "durable.jsonc");
  }

  private static ConfigException failure(String main, String className) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> config(main, className).resolveClasses(LOADER).newWorker());
    assertThat(e).as("resolving main=%s class_name=%s should fail", main, className).isNotNull();
    return e;
  }

  @Test
  void resolvesTheWorkerAndBindingClassesAndConfiguresARuntime(@TempDir Path dir) {
    ResolvedConfig resolved = config(OBJECTS + "$App", OBJECTS + "$NewCounter").resolveClasses(LOADER);
    assertThat(resolved.bindings()).containsEntry("COUNTER", ConfigTestObjects.NewCounter.class);
    assertThat(resolved.workerClass()).contains(ConfigTestObjects.App.class);

    try (DurableRuntime runtime = resolved.applyTo(DurableRuntime.builder()
        .stateDirectory(dir).idleTimeout(Duration.ZERO)).build()) {
      assertThat(runtime.fetch(Request.get("http://localhost/")).text()).isEqualTo("hi 1");
      assertThat(runtime.fetch(Request.get("http://localhost/")).text()).isEqualTo("hi 2");
      assertThat(((ObjectNamespace) runtime.namespace("COUNTER")).namespaceId()).isEqualTo("shop-NewCounter");
      assertThat(((ObjectNamespace) runtime.namespace("COUNTER")).directory()).isEqualTo(dir.resolve("do/shop-NewCounter"));
      assertThat(runtime.env().vars()).containsEntry("GREETING", "hi");
    }
  }

  @Test
  void aNestedClassMayBeWrittenWithDots() {
    ResolvedConfig resolved = config(null, OBJECTS + ".NewCounter").resolveClasses(LOADER);
    assertThat(resolved.bindings()).containsEntry("COUNTER", ConfigTestObjects.NewCounter.class);
    assertThat(resolved.workerClass()).isEmpty();
    assertThat(resolved.newWorker()).isEmpty();
  }

  @Test
  void aMissingClassNamesTheKeyAndLine() {
    assertThat(failure(null, "com.example.Missing").getMessage()).isEqualTo(
        "durable.jsonc:5:40: durable_objects.bindings[0].class_name: class com.example.Missing was"
            + " not found (is it compiled, and is its directory or jar on the classpath?)");
    assertThat(failure("com.example.MissingApp", OBJECTS + "$NewCounter").getMessage()).isEqualTo(
        "durable.jsonc:3:11: main: class com.example.MissingApp was not found (is it compiled, and"
            + " is its directory or jar on the classpath?)");
  }

  @Test
  void aClassThatIsNotADurableObjectIsAnError() {
    assertThat(failure(null, OBJECTS + "$NotAnObject").getMessage()).isEqualTo(
        "durable.jsonc:5:40: durable_objects.bindings[0].class_name: " + OBJECTS + "$NotAnObject is"
            + " not a Durable Object: it must extend dev.durable.DurableObject");
  }

  @Test
  void aDurableObjectWithoutTheStateConstructorIsAnError() {
    assertThat(failure(null, OBJECTS + "$NoStateConstructor").getMessage()).endsWith(
        "NoStateConstructor needs a public constructor (DurableObjectState ctx, Env env)");
    assertThat(failure(null, OBJECTS + "$AbstractObject").getMessage()).endsWith(
        "AbstractObject must be a public, non-abstract class");
  }

  @Test
  void theWorkerMustImplementWorkerAndHaveANoArgumentConstructor() {
    assertThat(failure(OBJECTS + "$NewCounter", OBJECTS + "$NewCounter").getMessage()).isEqualTo(
        "durable.jsonc:3:11: main: " + OBJECTS + "$NewCounter is not a worker: it must implement"
            + " dev.durable.Worker");
    assertThat(failure(OBJECTS + "$WorkerWithArgument", OBJECTS + "$NewCounter").getMessage())
        .isEqualTo("durable.jsonc:3:11: main: " + OBJECTS + "$WorkerWithArgument needs a public"
            + " constructor without parameters");
  }

  @Test
  void aWorkerConstructorThatThrowsIsReportedAtMain() {
    ConfigException e = failure(OBJECTS + "$ThrowingWorker", OBJECTS + "$NewCounter");
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:3:11: main: the constructor of " + OBJECTS
        + "$ThrowingWorker threw java.lang.IllegalStateException: no database configured");
    assertThat(e.getCause()).hasMessage("no database configured");
  }
}
