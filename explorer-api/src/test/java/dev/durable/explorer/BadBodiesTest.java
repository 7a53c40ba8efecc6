package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, wrongly shaped and oversized JSON to every documented explorer route that takes a
 * body: each answer is a clear 4xx envelope, never a 500, the server keeps serving, and the
 * object's state is what it was before.
 */
class BadBodiesTest {
  private static final Map<String, String> SAMPLE_PARAMETERS = Map.of(
      "namespace_id", "app-Notes", "object", "name:doc", "table", "notes", "key", "k");
  private static final List<String> BAD_BODIES = List.of(
      "{", "{\"durable_object_name\":", "not json", "[]", "\"text\"", "123", "null", "true",
      "{\"queries\":\"SELECT 1\"}", "{\"value\":", "{\"scheduled_time\":\"tomorrow\"}",
      "{\"values\":{\"id\":{\"nested\":[1,2,{}]}}}", "{\"a\":1}{\"b\":2}", "\u0000\u0001\u0002");

  @TempDir
  Path state;

  @Test
  void everyRouteAnswersBadBodiesWithAClearErrorAndChangesNothing() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(ExplorerServer.NS + "/app-Notes/query", "{\"durable_object_name\":\"doc\",\"queries\":["
          + "{\"sql\":\"CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT)\"},"
          + "{\"sql\":\"INSERT INTO notes (title) VALUES ('kept')\"}]}").ok();
      s.put(ExplorerServer.NS + "/app-Notes/objects/name:doc/kv/k", "{\"value\":1}").ok();
      String before = snapshot(s);
      byte[] oversized = new byte[9 * 1024 * 1024];
      java.util.Arrays.fill(oversized, (byte) 'x');

      JsonNode paths = s.get("").json().get("paths");
      List<String> tried = new ArrayList<>();
      for (var path : paths.properties()) {
        for (var op : path.getValue().properties()) {
          String method = op.getKey().toUpperCase(Locale.ROOT);
          if (!op.getValue().has("requestBody") || path.getKey().endsWith("/rpc")
              || path.getKey().endsWith("/fetch")) {
            continue; // rpc and fetch hand bodies to the object itself: covered by their own tests
          }
          String url = fill(path.getKey());
          for (String body : BAD_BODIES) {
            expectClearRefusal(s, method, url, HttpRequest.BodyPublishers.ofString(body), body);
          }
          expectClearRefusal(s, method, url, HttpRequest.BodyPublishers.ofByteArray(oversized), "9 MiB");
          tried.add(method + " " + path.getKey());
        }
      }
      assertThat(tried).as("routes with a body").hasSizeGreaterThan(5);
      assertThat(snapshot(s)).as("the object's state after every refusal").isEqualTo(before);
      assertThat(s.get(ExplorerServer.NS).status()).as("still serving").isEqualTo(200);
    }
  }

  @Test
  void aBodyThatIsNotValidChunkedEncodingIsABadRequestNotAServerError() throws Exception {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      java.net.URI base = java.net.URI.create(s.server.url());
      try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
        socket.setSoTimeout(10_000);
        String request = "POST " + ExplorerServer.BASE + ExplorerServer.NS + "/app-Notes/query HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\nzz\r\n{\"queries\":[]}\r\n0\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String answer = new String(socket.getInputStream().readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
        assertThat(answer).as("the answer to a garbage chunk size").startsWith("HTTP/1.1 400");
      }
      assertThat(s.get(ExplorerServer.NS).status()).as("still serving").isEqualTo(200);
    }
  }

  @Test
  void anAnswerOverTenMebibytesIsRefusedWithHowToAskForLess() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      String query = ExplorerServer.NS + "/app-Notes/query";
      s.post(query, "{\"durable_object_name\":\"big\",\"queries\":["
          + "{\"sql\":\"CREATE TABLE big (i INTEGER PRIMARY KEY, text TEXT)\"},"
          + "{\"sql\":\"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)"
          + " INSERT INTO big SELECT i, replace(hex(zeroblob(500000)), '00', 'xy') FROM n\"}]}").ok();
      ExplorerServer.Reply all = s.post(query,
          "{\"durable_object_name\":\"big\",\"queries\":[{\"sql\":\"SELECT * FROM big\"}]}");
      assertThat(all.failsWith(400, 10001)).as("12 MB of rows in one answer")
          .startsWith("The answer is larger than the 10 MiB").contains("LIMIT");
      assertThat(s.post(query, "{\"durable_object_name\":\"big\",\"queries\":["
          + "{\"sql\":\"SELECT i, length(text) AS n FROM big LIMIT 2\"}]}").ok().toString())
          .contains("1000000");
    }
  }

  private static void expectClearRefusal(ExplorerServer s, String method, String url,
      HttpRequest.BodyPublisher body, String what) {
    ExplorerServer.Reply r = s.send(s.request(url).header("Content-Type", "application/json")
        .method(method, body));
    assertThat(r.status()).as("%s %s with body %s answered %s", method, url, what, r.text())
        .isBetween(400, 499);
    JsonNode envelope = r.json();
    assertThat(envelope.get("success").asBoolean()).isFalse();
    assertThat(envelope.at("/errors/0/message").asText()).as("message for %s %s", method, url).isNotBlank();
  }

  private static String snapshot(ExplorerServer s) {
    return s.post(ExplorerServer.NS + "/app-Notes/query", "{\"durable_object_name\":\"doc\",\"queries\":["
        + "{\"sql\":\"SELECT * FROM notes ORDER BY id\"},"
        + "{\"sql\":\"SELECT name FROM sqlite_master ORDER BY name\"}]}").ok().toString()
        + s.get(ExplorerServer.NS + "/app-Notes/objects/name:doc/kv").ok().toString()
        + s.get(ExplorerServer.NS + "/app-Notes/objects/name:doc/alarm").ok().toString();
  }

  private static String fill(String template) {
    String out = template;
    for (var p : SAMPLE_PARAMETERS.entrySet()) {
      out = out.replace("{" + p.getKey() + "}", p.getValue());
    }
    return out;
  }
}
