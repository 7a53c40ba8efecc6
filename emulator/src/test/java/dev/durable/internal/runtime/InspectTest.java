package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.DurableRuntime;
import org.junit.jupiter.api.Test;

/** Tools visit objects through {@link ObjectHandle#inspect}: inside the gate, never waking them. */
class InspectTest {
  @Test
  void inspectingAnObjectDoesNotBuildItsInstance() {
    try (DurableRuntime rt = RuntimeTestSupport.inMemory().build()) {
      ObjectNamespace ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      ObjectHandle h = ns.handle(ns.idFromName("quiet"));
      int constructed = TestObjects.Counter.constructed.get();
      Long seen = h.inspect(instance -> {
        assertThat(instance).as("a tool's task sees no instance of an object that is not live").isNull();
        h.storage().put("n", 7L);
        return h.storage().get("n", Long.class).orElseThrow();
      });
      assertThat(seen).isEqualTo(7L);
      assertThat(h.isLive()).as("inspect must not wake the object").isFalse();
      assertThat(TestObjects.Counter.constructed.get()).isEqualTo(constructed);
      assertThat(ns.getByName("quiet", TestObjects.CounterApi.class).get())
          .as("what a tool wrote is the object's state").isEqualTo(7L);
    }
  }

  @Test
  void inspectingALiveObjectDoesNotPostponeItsEviction() {
    try (DurableRuntime rt = RuntimeTestSupport.inMemory().build()) {
      ObjectNamespace ns = ((ObjectNamespace) rt.namespace("COUNTER"));
      ns.getByName("busy", TestObjects.CounterApi.class).increment(1);
      ObjectHandle h = ns.handle(ns.idFromName("busy"));
      long lastActive = h.lastActiveNanos();
      Object seen = h.inspect(instance -> instance);
      assertThat(seen).as("the task sees the live instance").isNotNull();
      assertThat(h.lastActiveNanos())
          .as("a tool's visit must not count as activity of a live instance").isEqualTo(lastActive);
    }
  }
}
