package dev.durable.explorer;

import dev.durable.DurableObjectNamespace;
import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes object database files straight into a namespace directory, as an earlier run would have
 * left them (WAL mode, {@code _cf_KV} with one entry, the name in {@code __miniflare_do_name}),
 * thousands per second: one file is built with SQLite, then copied with each name patched in
 * (names of equal length keep every record the same size).
 */
final class StateFiles {
  private static final String PLACEHOLDER = "o#####";

  private StateFiles() {}

  /** Writes objects named {@code o00000}, {@code o00001}, ...; returns id to name. */
  static Map<String, String> writeNamedObjects(DurableRuntime rt, String binding, int count)
      throws IOException, SQLException {
    DurableObjectNamespace ns = rt.namespace(binding);
    Path dir = ExplorerServer.directory(rt, binding);
    byte[] template = template();
    int at = indexOf(template, PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
    Files.createDirectories(dir);
    Map<String, String> written = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String name = String.format("o%05d", i);
      byte[] file = template.clone();
      System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, file, at, PLACEHOLDER.length());
      String id = ns.idFromName(name).toString();
      Files.write(dir.resolve(id + ".sqlite"), file);
      written.put(id, name);
    }
    return written;
  }

  private static byte[] template() throws IOException, SQLException {
    Path dir = Files.createTempDirectory("durable-template");
    Path file = dir.resolve("t.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = WAL");
      st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
      st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
      st.execute("INSERT INTO __miniflare_do_name VALUES (0, '" + PLACEHOLDER + "')");
      st.execute("INSERT INTO _cf_KV VALUES ('n', CAST('1' AS BLOB))");
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    byte[] bytes = Files.readAllBytes(file);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("The template holds no name placeholder");
  }
}
