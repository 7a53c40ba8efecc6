package dev.durable.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.internal.server.DevServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document served at the base path matches what the server really answers. */
class OpenApiDocumentTest {
  private static final Map<String, String> SAMPLE_PARAMETERS = Map.of(
      "namespace_id", "app-Notes", "object", "name:doc", "table", "notes", "key", "k", "facet", "f");

  @TempDir
  Path state;

  @Test
  void everyDocumentedRouteAndMethodAnswersOnARealServer() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      s.post(ExplorerServer.NS + "/app-Notes/query", "{\"durable_object_name\":\"doc\",\"queries\":["
          + "{\"sql\":\"CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT)\"}]}").ok();
      s.put(ExplorerServer.NS + "/app-Notes/objects/name:doc/kv/k", "{\"value\":1}").ok();
      JsonNode doc = document(s);
      List<String> checked = new ArrayList<>();
      for (var path : doc.get("paths").properties()) {
        for (var op : path.getValue().properties()) {
          String method = op.getKey().toUpperCase(Locale.ROOT);
          String url = fill(path.getKey());
          HttpRequest.Builder r = s.request(url.equals("/") ? "" : url);
          // A bare JSON body: a route may refuse it (400), but it must exist and not fail.
          r = op.getValue().has("requestBody") || !method.equals("GET") && !method.equals("DELETE")
              ? r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"))
              : r.method(method, HttpRequest.BodyPublishers.noBody());
          ExplorerServer.Reply reply = s.send(r);
          if (path.getKey().startsWith("/local/observability/")) { // documented as always off
            reply.fails(404, LocalRoutes.OBSERVABILITY_NOT_ENABLED, LocalRoutes.OBSERVABILITY_OFF);
          } else {
            assertThat(reply.status()).as("%s %s answered %s", method, url, reply.text())
                .isNotIn(404, 405).isLessThan(500);
          }
          checked.add(method + " " + path.getKey());
        }
      }
      assertThat(checked).as("routes checked").hasSizeGreaterThan(20);
    }
  }

  @Test
  void everyRouteOfTheServerIsDocumented() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode paths = document(s).get("paths");
      Explorer explorer = new Explorer(s.runtime, DevServer.Options.defaults());
      for (Route route : explorer.routes().routes()) {
        String path = route.template.isEmpty() ? "/" : route.template;
        JsonNode op = paths.path(path).path(route.method.toLowerCase(Locale.ROOT));
        assertThat(op.isObject()).as("%s %s is documented", route.method, path).isTrue();
        assertThat(op.get("summary").asText()).as("summary of %s %s", route.method, path).isNotBlank();
        Set<String> declared = new HashSet<>(op.path("parameters").findValuesAsText("name"));
        assertThat(declared).as("parameters of %s %s", route.method, path).containsAll(route.parameters());
      }
      assertThat(paths.size()).isEqualTo(explorer.routes().routes().stream().map(r -> r.template).distinct().count());
    }
  }

  @Test
  void everySchemaReferenceResolvesAndTheBlobMarkerIsDocumented() {
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode doc = document(s);
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      Matcher refs = Pattern.compile("\"\\$ref\":\"#/components/(\\w+)/(\\w+)\"").matcher(doc.toString());
      int count = 0;
      while (refs.find()) {
        assertThat(doc.at("/components/" + refs.group(1) + "/" + refs.group(2)).isObject())
            .as("reference #/components/%s/%s resolves", refs.group(1), refs.group(2)).isTrue();
        count++;
      }
      assertThat(count).isGreaterThan(20);
      assertThat(doc.at("/components/schemas/Blob/properties/$blob").isObject()).isTrue();
      assertThat(doc.at("/components/schemas/SqlValue/description").asText()).contains("{\"$blob\": \"<base64>\"}");
      assertThat(doc.at("/info/description").asText()).contains("10066", "10001", "10403", "10413", "10415", "7000");
      assertThat(s.get("/cdn-cgi/local/explorer/api").json()).isEqualTo(doc);
    }
  }

  private static JsonNode document(ExplorerServer s) {
    ExplorerServer.Reply r = s.get("");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return r.json();
  }

  private static String fill(String template) {
    String out = template;
    for (var p : SAMPLE_PARAMETERS.entrySet()) {
      out = out.replace("{" + p.getKey() + "}", p.getValue());
    }
    assertThat(out).as("every path parameter has a sample value").doesNotContain("{");
    return out;
  }
}
