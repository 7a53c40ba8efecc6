package dev.durable.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The bytes of an empty object database (WAL mode, {@code _cf_KV} and the name table created).
 * A new object's file is a copy of them: creating a file through SQLite costs several fsyncs
 * (the switch to WAL, the schema commit), which made a fresh object take milliseconds.
 */
final class EmptyDatabase {
  private static volatile byte[] template;

  private EmptyDatabase() {}

  /** Writes the empty database to {@code file}, which must not exist yet. */
  static void createAt(Path file) throws IOException {
    if (!Files.isDirectory(file.getParent())) {
      Files.createDirectories(file.getParent()); // it throws and catches an exception when it exists
    }
    Files.write(file, bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private static byte[] bytes() throws IOException {
    byte[] t = template;
    if (t == null) {
      synchronized (EmptyDatabase.class) {
        t = template;
        if (t == null) {
          t = build();
          template = t;
        }
      }
    }
    return t;
  }

  private static byte[] build() throws IOException {
    Path dir = Files.createTempDirectory("durable-template");
    Path file = dir.resolve("empty.sqlite");
    try {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return Files.readAllBytes(file);
    } catch (java.sql.SQLException e) {
      throw new IOException("Could not build the empty database template: " + e.getMessage(), e);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
