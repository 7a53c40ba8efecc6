package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.Request;
import dev.durable.agents.TestAgents.Tally;
import dev.durable.runtime.DurableRuntime;
import dev.durable.internal.server.DevServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's state and schedules are ordinary tables of its SQLite, so the explorer (and the
 * REPL, which speaks to the explorer) shows them, and an edit of the state is what the agent
 * reads next.
 */
class ExplorerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUERY = "/cdn-cgi/explorer/api/workers/durable_objects/namespaces/app-Tally/query";

  @TempDir
  Path state;

  @Test
  void theExplorerShowsAnAgentsStateAndSchedulesAndAnEditedStateIsWhatTheAgentReadsNext() throws Exception {
    try (DurableRuntime runtime = DurableRuntime.builder().scriptName("app").bind("TALLY", Tally.class)
            .stateDirectory(state).idleTimeout(Duration.ZERO).build();
        DevServer server = DevServer.start(runtime, DevServer.Options.defaults().port(0))) {
      var tally = runtime.env().durableObject("TALLY").getByName("room");
      tally.as(TestAgents.TallyApi.class).increment(4);
      tally.as(TestAgents.TallyApi.class).nudgeIn(5);

      JsonNode read = query(server, "SELECT id, state FROM cf_agents_state");
      assertThat(read.at("/result/0/rows").toString()).isEqualTo("[[\"cf_state_row_id\",\"{\\\"count\\\":4}\"]]");
      JsonNode schedules = query(server, "SELECT callback, payload, type FROM cf_agents_schedules");
      assertThat(schedules.at("/result/0/rows").toString()).isEqualTo("[[\"increment\",\"1\",\"delayed\"]]");

      query(server, "UPDATE cf_agents_state SET state = '{\"count\":40}' WHERE id = 'cf_state_row_id'");

      assertThat(tally.fetch(Request.get("/agents/tally/room")).text()).isEqualTo("count of room is 40");
      assertThat(tally.as(TestAgents.TallyApi.class).increment(2)).isEqualTo(42);
    }
  }

  private static JsonNode query(DevServer server, String sql) throws Exception {
    String body = JSON.createObjectNode().put("durable_object_name", "room")
        .set("queries", JSON.createArrayNode().add(JSON.createObjectNode().put("sql", sql))).toString();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + QUERY))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("explorer answer to %s: %s", sql, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
