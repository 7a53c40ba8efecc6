package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Host names the explorer accepts, with and without a token. */
class RequestGuardTest {
  @Test
  void loopbackNamesAreAcceptedAndOthersAreNot() {
    RequestGuard guard = new RequestGuard("127.0.0.1", null);
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
    assertThat(RequestGuard.hostOf("LocalHost:8787")).isEqualTo("localhost");
    assertThat(RequestGuard.hostOf("[::1]:8787")).isEqualTo("::1");
    assertThat(RequestGuard.hostOf("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void withATokenTheBoundHostIsAcceptedToo() {
    RequestGuard bound = new RequestGuard("devbox.lan", "t");
    assertThat(bound.isAllowedHost("devbox.lan")).isTrue();
    assertThat(bound.isAllowedHost("other.lan")).isFalse();
    assertThat(new RequestGuard("devbox.lan", null).isAllowedHost("devbox.lan"))
        .as("without a token only loopback names").isFalse();
    assertThat(new RequestGuard("0.0.0.0", "t").isAllowedHost("192.168.1.20"))
        .as("bound to every interface, the token is what protects").isTrue();
  }
}
