package dev.durable.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectNamespace;
import dev.durable.runtime.DurableRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdDerivationTest {
  // Computed independently with Python's hmac/hashlib from the algorithm in DESIGN.md.
  private static final String COUNTER_A = "1df7f89a3b43ef10bc41c082b4da781a8ad524ef9b367421707dd324717b515e";
  private static final String COUNTER_HELLO = "91d3cad33ddf99aca3f78bb5c68ed4e5c7b1db2ae31c7226ff85ce8c91020a4f";
  private static final String COUNTER_UNICODE = "9004f93cd7ba007ade99bfeebb0fe9852dca5ff4a35ef19f8bf958582b745ca4";

  private final DurableRuntime runtime = DurableRuntime.builder()
      .bind("COUNTER", TestObjects.Counter.class)
      .bind("PING", TestObjects.Pinger.class)
      .build();

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void idFromNameMatchesKnownVectors() {
    DurableObjectNamespace ns = runtime.env().durableObject("COUNTER");
    assertThat(ns.namespaceId()).isEqualTo("app-Counter");
    assertThat(ns.idFromName("a").toString()).isEqualTo(COUNTER_A);
    assertThat(ns.idFromName("hello world").toString()).isEqualTo(COUNTER_HELLO);
    assertThat(ns.idFromName("ünïcødé 🎉").toString()).isEqualTo(COUNTER_UNICODE);
    assertThat(ns.idFromName("a").name()).contains("a");
  }

  @Test
  void idFromStringRoundTripsWithoutTheName() {
    DurableObjectNamespace ns = runtime.env().durableObject("COUNTER");
    DurableObjectId parsed = ns.idFromString(COUNTER_A);
    assertThat(parsed).isEqualTo(ns.idFromName("a"));
    assertThat(parsed.name()).isEmpty();
    DurableObjectId unique = ns.newUniqueId();
    assertThat(ns.idFromString(unique.toString())).isEqualTo(unique);
    assertThat(unique).isNotEqualTo(ns.newUniqueId());
  }

  @Test
  void idFromStringRejectsBadHex() {
    DurableObjectNamespace ns = runtime.env().durableObject("COUNTER");
    for (String bad : new String[] {"", "abc", COUNTER_A.toUpperCase(), COUNTER_A + "0",
        COUNTER_A.substring(1) + "g", "../" + COUNTER_A.substring(3)}) {
      assertThatThrownBy(() -> ns.idFromString(bad))
          .as("id %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid Durable Object ID: must be 64 hex digits");
    }
  }

  @Test
  void idOfAnotherNamespaceIsRejected() {
    String pingId = runtime.env().durableObject("PING").idFromName("a").toString();
    DurableObjectNamespace counters = runtime.env().durableObject("COUNTER");
    assertThatThrownBy(() -> counters.idFromString(pingId))
        .hasMessage("Durable Object ID is not valid for this namespace.");
    DurableObjectId foreign = runtime.env().durableObject("PING").idFromName("a");
    assertThatThrownBy(() -> counters.get(foreign))
        .hasMessage("Durable Object ID is not valid for this namespace.");
  }
}
