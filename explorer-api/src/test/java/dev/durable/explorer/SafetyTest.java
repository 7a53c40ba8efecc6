package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the explorer: loopback hosts and pages only, JSON writes, capped bodies, a token. */
class SafetyTest {
  private static final String QUERY = "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELECT 1\"}]}";

  @TempDir
  Path state;

  @Test
  void aHostThatIsNotALoopbackNameIsRefusedAgainstDnsRebinding() throws IOException {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      int port = s.server.port();
      String refused = raw(port, "evil.example:" + port);
      assertThat(refused).startsWith("HTTP/1.1 403");
      JsonNode body = ExplorerServer.JSON.readTree(refused.substring(refused.indexOf("\r\n\r\n") + 4));
      assertThat(body.at("/errors/0/code").asInt()).isEqualTo(10403);
      assertThat(body.at("/errors/0/message").asText()).startsWith("Host 'evil.example:" + port + "' is not allowed");
      assertThat(body.get("success").asBoolean()).isFalse();
      assertThat(raw(port, "localhost.evil.example")).startsWith("HTTP/1.1 403");
      assertThat(raw(port, "127.0.0.1.nip.io")).startsWith("HTTP/1.1 403");
      assertThat(raw(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
      assertThat(raw(port, "127.0.0.2:" + port)).startsWith("HTTP/1.1 200");
      assertThat(raw(port, "[::1]:" + port)).startsWith("HTTP/1.1 200");
      assertThat(raw(port, "app.localhost:" + port)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aForeignOriginIsRefusedAndALoopbackPageGetsCorsHeaders() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      assertThat(s.send(s.request(NS).header("Origin", "https://evil.example")).failsWith(403, 10403))
          .isEqualTo("Origin 'https://evil.example' is not allowed: the explorer answers only pages"
              + " served from localhost, 127.0.0.1 or [::1]");
      s.send(s.request(NS).header("Origin", "null")).failsWith(403, 10403);
      s.send(s.request(NS + "/app-Notes/query").header("Origin", "http://evil.example")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUERY)))
          .failsWith(403, 10403);
      ExplorerServer.Reply local = s.send(s.request(NS).header("Origin", "http://localhost:5173"));
      local.ok();
      assertThat(local.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:5173");
    }
  }

  @Test
  void preflightAnswers204WithCorsHeadersForLoopbackOriginsOnly() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      ExplorerServer.Reply ok = s.send(s.request(NS + "/app-Notes/query").header("Origin", "http://127.0.0.1:3000")
          .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      assertThat(ok.status()).isEqualTo(204);
      assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("http://127.0.0.1:3000");
      assertThat(ok.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
      assertThat(ok.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(h -> assertThat(h).contains("Content-Type"));
      assertThat(ok.headers().firstValue("allow")).hasValue("POST");
      ExplorerServer.Reply noOrigin = s.send(s.request(NS).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      assertThat(noOrigin.status()).isEqualTo(204);
      assertThat(noOrigin.headers().firstValue("access-control-allow-origin")).isEmpty();
      s.send(s.request(NS).header("Origin", "https://evil.example").method("OPTIONS", HttpRequest.BodyPublishers.noBody()))
          .failsWith(403, 10403);
    }
  }

  @Test
  void writesMustDeclareJson() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.send(s.request(NS + "/app-Notes/query").header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString(QUERY)))
          .fails(415, 10415, "POST requests to the explorer need 'Content-Type: application/json', got 'text/plain'");
      s.send(s.request(NS + "/app-Notes/query").POST(HttpRequest.BodyPublishers.ofString(QUERY)))
          .fails(415, 10415, "POST requests to the explorer need 'Content-Type: application/json', got none");
      s.send(s.request(NS + "/app-Notes/objects/name:a/kv/k").header("Content-Type", "application/x-www-form-urlencoded")
          .method("DELETE", HttpRequest.BodyPublishers.ofString("a=b"))).failsWith(415, 10415);
      s.send(s.request(NS + "/app-Notes/query").header("Content-Type", "application/json; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofString(QUERY))).ok();
      s.delete(NS + "/app-Notes/objects/name:a/kv/k").ok();
    }
  }

  @Test
  void aBodyOverTheCapIsRefused() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      String huge = "{\"durable_object_name\":\"a\",\"queries\":[{\"sql\":\"SELECT '" + "x".repeat(9 * 1024 * 1024) + "'\"}]}";
      s.post(NS + "/app-Notes/query", huge)
          .fails(413, 10413, "Request body is larger than the explorer accepts (8388608 bytes)");
    }
  }

  @Test
  void malformedJsonIsRefusedWithWhatIsWrong() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      assertThat(s.post(NS + "/app-Notes/query", "{\"durable_object_name\":").failsWith(400, 10001))
          .startsWith("Malformed JSON body: ").contains("line 1");
      assertThat(s.post(NS + "/app-Notes/query", "{\"a\":1,\"a\":2}").failsWith(400, 10001))
          .startsWith("Malformed JSON body: Duplicate field 'a'");
      assertThat(s.post(NS + "/app-Notes/query", QUERY + " trailing").failsWith(400, 10001))
          .startsWith("Malformed JSON body: ");
      s.post(NS + "/app-Notes/query", "").fails(400, 10001, "Request body is empty; expected a JSON object");
    }
  }

  @Test
  void unknownRoutesAndMethodsAnswerTheEnvelope() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.get("/nope").fails(404, 7000, "No route for that URI: GET /nope");
      s.get("/cdn-cgi/local/explorer/api/nope/deeper").fails(404, 7000, "No route for that URI: GET /nope/deeper");
      ExplorerServer.Reply wrong = s.delete(NS);
      wrong.fails(405, 7001, "Method DELETE not allowed for " + NS + "; allowed: GET");
      assertThat(wrong.headers().firstValue("allow")).hasValue("GET");
    }
  }

  @Test
  void withATokenEveryRequestMustCarryIt() {
    try (ExplorerServer s = ExplorerServer.start(ExplorerServer.runtime(state).build(), o -> o.explorerToken("s3cret"))) {
      s.get(NS).fails(401, 10401, "The explorer needs its token: send 'Authorization: Bearer <token>'"
          + " (the token given with --explorer-token)");
      s.send(s.request(NS).header("Authorization", "Bearer wrong")).fails(401, 10401, "The explorer token is wrong");
      s.send(s.request("/nope").header("Authorization", "Basic czNjcmV0")).failsWith(401, 10401);
      s.send(s.request(NS).header("Authorization", "Bearer s3cret")).ok();
      s.send(s.request(NS).header("Authorization", "bearer s3cret")).ok();
      assertThat(s.send(s.request(NS).header("Origin", "http://localhost:3000")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).status())
          .as("a preflight carries no credentials and is answered").isEqualTo(204);
    }
  }

  /** A GET of the namespaces with a Host header of our choosing (HttpClient will not set one). */
  private static String raw(int port, String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + ExplorerServer.BASE + NS + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
