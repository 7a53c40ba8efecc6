package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.internal.server.ToolGuard;
import org.junit.jupiter.api.Test;

/** Which Host names the explorer accepts (through its ToolGuard), with and without a token. */
class RequestGuardTest {
  @Test
  void loopbackNamesAreAcceptedAndOthersAreNot() {
    ToolGuard guard = new ToolGuard("127.0.0.1", null);
    for (String host : new String[] {"localhost", "LOCALHOST", "localhost.", "app.localhost", "127.0.0.1",
        "127.255.0.9", "::1", "0:0:0:0:0:0:0:1"}) {
      assertThat(guard.isAllowedHost(host)).as(host).isTrue();
    }
    for (String host : new String[] {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io",
        "128.0.0.1", "127.0.0.256", "0.0.0.0", "::", "10.0.0.5", "[::1]evil"}) {
      assertThat(guard.isAllowedHost(host)).as(host).isFalse();
    }
  }

  @Test
  void theHostPartOfAHostHeaderIsCompared() {
    assertThat(ToolGuard.hostOf("LocalHost:8787")).isEqualTo("localhost");
    assertThat(ToolGuard.hostOf("[::1]:8787")).isEqualTo("::1");
    assertThat(ToolGuard.hostOf("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void withATokenTheBoundHostIsAcceptedToo() {
    ToolGuard bound = new ToolGuard("devbox.lan", "t");
    assertThat(bound.isAllowedHost("devbox.lan")).isTrue();
    assertThat(bound.isAllowedHost("other.lan")).isFalse();
    assertThat(new ToolGuard("devbox.lan", null).isAllowedHost("devbox.lan"))
        .as("without a token only loopback names").isFalse();
    assertThat(new ToolGuard("0.0.0.0", "t").isAllowedHost("192.168.1.20"))
        .as("bound to every interface, the token is what protects").isTrue();
  }
}
