package dev.durable.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator's own trigger of the worker's scheduled handler has the explorer's protection:
 * loopback callers only without a token, loopback Host and Origin, the token when one is set.
 */
class ToolAccessTest {
  private static final String SCHEDULED = "/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*";

  @TempDir
  Path state;

  @BeforeEach
  void clear() {
    ServerTestApp.scheduledCrons.clear();
  }

  @Test
  void aCallerOnAnotherMachineIsRefusedWithoutAToken() throws Exception {
    InetAddress other = nonLoopbackAddress().orElse(null);
    assumeTrue(other != null, "this machine has no non-loopback IPv4 address to call from");
    try (DurableRuntime runtime = ServerTestApp.runtime(state).build();
         DevServer server = DevServer.start(runtime, DevServer.Options.defaults().host("0.0.0.0").port(0))) {
      String fromOutside = get(other, server.port(), SCHEDULED, "localhost", null, null);
      assertThat(fromOutside).as("a request from %s claiming Host: localhost", other.getHostAddress())
          .startsWith("HTTP/1.1 403").contains("only with a token");
      assertThat(ServerTestApp.scheduledCrons).as("handler runs").isEmpty();
      assertThat(get(InetAddress.getLoopbackAddress(), server.port(), SCHEDULED, "localhost", null, null))
          .as("the same request from loopback").startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aPageFromAnotherOriginCannotRunTheScheduledHandler() throws Exception {
    try (DurableRuntime runtime = ServerTestApp.runtime(state).build();
         DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0))) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      assertThat(get(loopback, server.port(), SCHEDULED, "localhost", "https://evil.example", null))
          .startsWith("HTTP/1.1 403").contains("Origin 'https://evil.example' is not allowed");
      assertThat(get(loopback, server.port(), SCHEDULED, "evil.example", null, null))
          .as("a DNS-rebinding page").startsWith("HTTP/1.1 403");
      assertThat(ServerTestApp.scheduledCrons).as("handler runs").isEmpty();
    }
  }

  @Test
  void theScheduledHandlerNeedsTheExplorerTokenWhenOneIsSet() throws Exception {
    try (DurableRuntime runtime = ServerTestApp.runtime(state).build();
         DevServer server = DevServer.start(runtime,
             DevServer.Options.defaults().port(0).explorerToken("sesame"))) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      assertThat(get(loopback, server.port(), SCHEDULED, "localhost", null, null)).startsWith("HTTP/1.1 401");
      assertThat(get(loopback, server.port(), SCHEDULED, "localhost", null, "Bearer wrong"))
          .startsWith("HTTP/1.1 401");
      assertThat(ServerTestApp.scheduledCrons).as("handler runs without the token").isEmpty();
      assertThat(get(loopback, server.port(), SCHEDULED, "localhost", null, "Bearer sesame"))
          .startsWith("HTTP/1.1 200");
      assertThat(ServerTestApp.scheduledCrons).containsExactly("*/5 * * * *");
    }
  }

  /** A raw request, so the Host header is the test's. Returns the whole answer. */
  private static String get(InetAddress to, int port, String path, String host, String origin,
      String authorization) throws IOException {
    try (Socket socket = new Socket(to, port)) {
      String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n")
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
          + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
