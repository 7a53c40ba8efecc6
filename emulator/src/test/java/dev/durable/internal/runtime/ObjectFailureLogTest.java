package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.DurableRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An object's failure is in the log with its stack trace even when the worker catches it and
 * answers a status: otherwise the dev log would show only that status.
 */
class ObjectFailureLogTest {
  public static class Inventory extends DurableObject {
    public Inventory(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      throw new IllegalStateException("out of stock: widget");
    }
  }

  public static class Broken extends DurableObject {
    public Broken(DurableObjectState ctx, Env env) {
      super(ctx, env);
      throw new IllegalArgumentException("no such shelf");
    }
  }

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureTheLog() {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheLog() {
    System.setErr(stderr);
  }

  private String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anExceptionTheWorkerCatchesIsLoggedWithItsStackTrace() {
    try (DurableRuntime rt = DurableRuntime.builder().bind("INVENTORY", Inventory.class).build()) {
      try {
        rt.env().durableObject("INVENTORY").getByName("main").fetch(Request.get("http://x/"));
      } catch (DurableObjectException caughtLikeAWorkerWould) {
        assertThat(caughtLikeAWorkerWould.getMessage()).isEqualTo("out of stock: widget");
      }
    }
    assertThat(log()).contains("INVENTORY 'main' threw java.lang.IllegalStateException",
        "java.lang.IllegalStateException: out of stock: widget", "at " + Inventory.class.getName() + ".fetch");
  }

  @Test
  void aConstructorThatThrowsIsReportedAsTheConstructorOnce() {
    try (DurableRuntime rt = DurableRuntime.builder().bind("BROKEN", Broken.class).build()) {
      assertThatThrownBy(() -> rt.env().durableObject("BROKEN").getByName("a").fetch(Request.get("http://x/")))
          .isInstanceOf(DurableObjectException.class)
          .hasMessage("Constructor of " + Broken.class.getName() + " threw java.lang.IllegalArgumentException: no such shelf");
    }
    assertThat(log()).contains("Constructor of " + Broken.class.getName() + " threw java.lang.IllegalArgumentException",
        "at " + Broken.class.getName() + ".<init>");
    assertThat(log().split("threw java.lang.IllegalArgumentException", -1)).as(log()).hasSize(2);
  }
}
