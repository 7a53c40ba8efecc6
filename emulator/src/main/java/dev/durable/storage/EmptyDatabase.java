package dev.durable.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The bytes of an empty object database (WAL mode, {@code _cf_KV} and the name table created).
 * A new object's file is a copy of them: creating a file through SQLite costs several fsyncs
 * (the switch to WAL, the schema commit), which made a fresh object take milliseconds.
 *
 * <p>The copy can carry the object's name: the row {@code (0, name)} of
 * {@code __miniflare_do_name} written into the table's page as SQLite itself writes it (one cell
 * at the end of the page), which saves a fresh object a write transaction of its own.
 * {@code EmptyDatabaseTest} checks the page against SQLite's for names of every length.
 */
final class EmptyDatabase {
  private static volatile Template template;

  /** The template's bytes and where in them the name table's page starts, and its usable size. */
  private record Template(byte[] bytes, int namePageOffset, int usableSize) {}

  private EmptyDatabase() {}

  /**
   * Writes the empty database to {@code file}, which must not exist yet, with {@code name} in
   * its name table when it fits in the table's page without overflow.
   *
   * @param name the object's name, or null
   * @return whether the name was written (false also when none was given)
   */
  static boolean createAt(Path file, String name) throws IOException {
    Template t = template();
    byte[] bytes = name == null ? null : withName(t, name);
    byte[] content = bytes == null ? t.bytes() : bytes;
    try {
      Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      // The namespace's first object: its directory is made once, not checked for every file.
      Files.createDirectories(file.getParent());
      Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    return bytes != null;
  }

  /**
   * The template with one row in the name table's (empty, leaf) page, or null when the record
   * would not fit in the page (SQLite would spill it to an overflow page).
   */
  private static byte[] withName(Template t, String name) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    // Record: header size, serial types (NULL for the INTEGER PRIMARY KEY alias, TEXT), the text.
    long textType = 13L + 2L * text.length;
    int headerSize = 1 + 1 + varintLength(textType);
    if (varintLength(headerSize) != 1) {
      return null;
    }
    int payload = headerSize + text.length;
    // A table leaf keeps up to usable - 35 bytes of payload in the page.
    if (payload > t.usableSize() - 35) {
      return null;
    }
    int cellSize = varintLength(payload) + 1 + payload; // payload size, rowid 0, payload
    byte[] bytes = t.bytes().clone();
    int page = t.namePageOffset();
    int cell = t.usableSize() - cellSize;
    // Leaf table page header: type 13, no freeblock, one cell, content start, no fragments;
    // then the one cell pointer.
    bytes[page] = 0x0D;
    putShort(bytes, page + 1, 0);
    putShort(bytes, page + 3, 1);
    putShort(bytes, page + 5, cell);
    bytes[page + 7] = 0;
    putShort(bytes, page + 8, cell);
    int at = page + cell;
    at = putVarint(bytes, at, payload);
    at = putVarint(bytes, at, 0); // rowid 0
    at = putVarint(bytes, at, headerSize);
    at = putVarint(bytes, at, 0); // id: NULL, the rowid stands for it
    at = putVarint(bytes, at, textType);
    System.arraycopy(text, 0, bytes, at, text.length);
    return bytes;
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  /** SQLite's varint: big-endian groups of 7 bits, the high bit set on all but the last. */
  private static int putVarint(byte[] b, int at, long v) {
    int n = varintLength(v);
    for (int i = n - 1; i >= 0; i--) {
      b[at + i] = (byte) ((v & 0x7F) | (i == n - 1 ? 0 : 0x80));
      v >>>= 7;
    }
    return at + n;
  }

  private static int varintLength(long v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    if (n > 8) {
      throw new IllegalArgumentException("varint too large for a record in a page: " + v);
    }
    return n;
  }

  private static Template template() throws IOException {
    Template t = template;
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

  private static Template build() throws IOException {
    Path dir = Files.createTempDirectory("durable-template");
    Path file = dir.resolve("empty.sqlite");
    try {
      int namePage;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        try (var rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '__miniflare_do_name'")) {
          namePage = rs.getInt(1);
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      int pageSize = ((bytes[16] & 0xFF) << 8) | (bytes[17] & 0xFF);
      int reserved = bytes[20] & 0xFF;
      if (pageSize < 512 || namePage < 2 || bytes.length < namePage * pageSize
          || bytes[(namePage - 1) * pageSize] != 0x0D) {
        throw new IOException("unexpected layout of the empty database: page size " + pageSize
            + ", name table at page " + namePage + " of " + bytes.length / Math.max(pageSize, 1));
      }
      return new Template(bytes, (namePage - 1) * pageSize, pageSize - reserved);
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
