package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.runtime.DurableRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory written by Cloudflare's Miniflare: the name in row 1 of the name table, and
 * key-value values in V8's serialization, which the explorer shows as base64 instead of guessing.
 */
class MiniflareStateTest {
  /** {@code "hi"} as V8 serializes it: version 15, one-byte string of length 2. */
  private static final byte[] V8_STRING = {(byte) 0xff, 0x0f, 0x22, 0x02, 'h', 'i'};

  @TempDir
  Path state;

  @Test
  void objectsWrittenByMiniflareAreListedQueriedAndShownWithoutGuessing() throws Exception {
    String id;
    try (DurableRuntime rt = ExplorerServer.runtime(state).build()) {
      id = rt.namespace("NOTES").idFromName("from-miniflare").toString();
      Path file = ExplorerServer.directory(rt, "NOTES").resolve(id + ".sqlite");
      Files.createDirectories(file.getParent());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("INSERT INTO __miniflare_do_name VALUES (1, 'from-miniflare')");
        st.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, text TEXT)");
        st.execute("INSERT INTO messages (text) VALUES ('hello')");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO _cf_KV VALUES ('greeting', ?)")) {
          ps.setBytes(1, V8_STRING);
          ps.executeUpdate();
        }
      }
    }
    try (ExplorerServer s = ExplorerServer.start(state)) {
      JsonNode listed = s.get(NS + "/app-Notes/objects").ok();
      assertThat(listed.toString()).isEqualTo("[{\"id\":\"" + id + "\",\"name\":\"from-miniflare\",\"hasStoredData\":true}]");
      JsonNode rows = s.post(NS + "/app-Notes/query", "{\"durable_object_id\":\"" + id
          + "\",\"queries\":[{\"sql\":\"SELECT text FROM messages\"}]}").ok();
      assertThat(rows.at("/0/rows").toString()).isEqualTo("[[\"hello\"]]");
      JsonNode entry = s.get(NS + "/app-Notes/objects/" + id + "/kv/greeting").ok();
      assertThat(entry.toString())
          .isEqualTo("{\"key\":\"greeting\",\"encoding\":\"base64\",\"value\":\"/w8iAmhp\",\"size\":6}");
      assertThat(s.get(NS + "/app-Notes/objects/" + id).ok().get("name").asText()).isEqualTo("from-miniflare");
    }
  }
}
