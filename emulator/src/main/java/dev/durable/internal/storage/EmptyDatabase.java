package dev.durable.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;

/**
 * The bytes of an empty object database (WAL mode, {@code _cf_KV} and the name table created).
 * A new object's file is a copy of them: creating a file through SQLite costs several fsyncs
 * (the switch to WAL, the schema commit), which made a fresh object take milliseconds.
 *
 * <p>The copy can carry the object's name and its first key-value rows, written into the tables'
 * pages as SQLite itself writes them: the name as the one row of {@code __miniflare_do_name}, the
 * rows in {@code _cf_KV}'s page in the order they are given (the order SQLite would insert them
 * in), each cell below the last, their pointers in key order. A fresh object whose first writes
 * are a few small key-value puts then gets its file without a SQLite connection at all.
 * {@code EmptyDatabaseTest} checks the files against SQLite's for names of every length and for
 * rows up to a full page.
 *
 * <p>A file is written under a temporary name beside it and then renamed, so that a crash never
 * leaves a partial database under the object's name.
 *
 * <p>Measured in BENCHMARKS.md, "Fourth session: a fresh object's first write without SQLite":
 * touching 10,000 fresh objects 4.5-5.8 s through SQLite (target 5 s), 2.1-2.4 s this way.
 */
final class EmptyDatabase {
  /** Suffix of the temporary name a new file is written under (SQLite names none like it). */
  static final String TEMPORARY_SUFFIX = "-new";

  private static volatile Template template;

  /**
   * The template's bytes; where in them the name table's and the key-value table's pages start;
   * and the usable size of a page.
   */
  private record Template(byte[] bytes, int namePageOffset, int kvPageOffset, int usableSize) {}

  private EmptyDatabase() {}

  /**
   * Writes the empty database to {@code file}, which must not exist yet, with {@code name} in
   * its name table when it fits in the table's page without overflow.
   *
   * @param name the object's name, or null
   * @param fsync whether the file reaches the disk before this returns
   * @return whether the name was written (false also when none was given)
   */
  static boolean createAt(Path file, String name, boolean fsync) throws IOException {
    Template t = template();
    byte[] bytes = t.bytes().clone();
    boolean named = name != null && withName(t, bytes, name);
    writeNew(file, bytes, fsync);
    return named;
  }

  /**
   * Writes a database to {@code file}, which must not exist yet, holding {@code name} (when not
   * null) and {@code rows} in {@code _cf_KV}: what SQLite writes for an empty database, the name
   * and {@code INSERT}s of the rows in their iteration order, checkpointed.
   *
   * @param rows keys and values (not empty); inserted in iteration order
   * @return false, having written nothing, when the name or the rows do not fit in their pages
   *     (SQLite would spill them to more pages)
   */
  static boolean createWithRows(Path file, String name, Map<String, byte[]> rows, boolean fsync)
      throws IOException {
    Template t = template();
    byte[] bytes = t.bytes().clone();
    if (name != null && !withName(t, bytes, name) || !withRows(t, bytes, rows)) {
      return false;
    }
    writeNew(file, bytes, fsync);
    return true;
  }

  /** Writes under a temporary name, then renames; fails if {@code file} exists. */
  private static void writeNew(Path file, byte[] content, boolean fsync) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    try {
      write(temporary, content, fsync);
    } catch (NoSuchFileException e) {
      // The namespace's first object: its directory is made once, not checked for every file.
      Files.createDirectories(file.getParent());
      write(temporary, content, fsync);
    }
    try {
      Files.move(temporary, file); // without REPLACE_EXISTING: never replaces a database
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    if (fsync) {
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true); // the new name too
      }
    }
  }

  /** Writes the whole file; a leftover of a crash under the same name is overwritten. */
  private static void write(Path p, byte[] content, boolean fsync) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      if (fsync) {
        ch.force(true);
      }
    }
  }

  /**
   * Writes one row into the name table's (empty, leaf) page of {@code bytes}, a copy of the
   * template. Returns false, having written nothing, when the record would not fit in the page
   * (SQLite would spill it to an overflow page).
   */
  private static boolean withName(Template t, byte[] bytes, String name) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    // Record: header size, serial types (NULL for the INTEGER PRIMARY KEY alias, TEXT), the text.
    long textType = 13L + 2L * text.length;
    int headerSize = 1 + 1 + varintLength(textType);
    if (varintLength(headerSize) != 1) {
      return false;
    }
    int payload = headerSize + text.length;
    // A table leaf keeps up to usable - 35 bytes of payload in the page.
    if (payload > t.usableSize() - 35) {
      return false;
    }
    int cellSize = varintLength(payload) + 1 + payload; // payload size, rowid 0, payload
    int page = t.namePageOffset();
    int cell = t.usableSize() - cellSize;
    // The header of the template's empty leaf page (type, no freeblock, no fragments) gets one
    // cell and its content start; then the one cell pointer.
    putShort(bytes, page + 3, 1);
    putShort(bytes, page + 5, cell);
    putShort(bytes, page + 8, cell);
    int at = page + cell;
    at = putVarint(bytes, at, payload);
    at = putVarint(bytes, at, 0); // rowid 0
    at = putVarint(bytes, at, headerSize);
    at = putVarint(bytes, at, 0); // id: NULL, the rowid stands for it
    at = putVarint(bytes, at, textType);
    System.arraycopy(text, 0, bytes, at, text.length);
    return true;
  }

  /**
   * Writes {@code rows} into the key-value table's (empty, leaf) page of {@code bytes}, a copy of
   * the template, as SQLite's {@code INSERT}s in iteration order leave it: each cell placed just
   * below the one before, the cell pointers sorted by key (text keys compare as UTF-8 bytes).
   * Returns false when a row would spill to an overflow page or the rows would not all fit.
   */
  private static boolean withRows(Template t, byte[] bytes, Map<String, byte[]> rows) {
    int usable = t.usableSize();
    // The most payload an index page keeps in a cell (a WITHOUT ROWID table is an index b-tree).
    int maxLocal = (usable - 12) * 64 / 255 - 23;
    int n = rows.size();
    byte[][] keys = new byte[n][];
    int[] cells = new int[n];
    int page = t.kvPageOffset();
    int top = usable; // the cell content area starts here, growing down
    int i = 0;
    for (Map.Entry<String, byte[]> row : rows.entrySet()) {
      byte[] key = row.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = row.getValue();
      if (value.length == 0) {
        return false; // sqlite-jdbc binds an empty array as NULL; leave that to SQLite
      }
      // Record: header size, serial types (TEXT key, BLOB value), then the two values.
      long keyType = 13L + 2L * key.length;
      long valueType = 12L + 2L * value.length;
      int headerSize = 1 + varintLength(keyType) + varintLength(valueType);
      long payload = (long) headerSize + key.length + value.length;
      if (payload > maxLocal) {
        return false;
      }
      int cellSize = varintLength(payload) + (int) payload;
      top -= cellSize;
      if (top < 8 + 2 * n) { // the page header and the cell pointers must fit below the cells
        return false;
      }
      int at = putVarint(bytes, page + top, payload);
      at = putVarint(bytes, at, headerSize);
      at = putVarint(bytes, at, keyType);
      at = putVarint(bytes, at, valueType);
      System.arraycopy(key, 0, bytes, at, key.length);
      System.arraycopy(value, 0, bytes, at + key.length, value.length);
      keys[i] = key;
      cells[i] = top;
      i++;
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, k -> k);
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
    // The header of the template's empty leaf page gets the cell count and the content start.
    putShort(bytes, page + 3, n);
    putShort(bytes, page + 5, top);
    for (int k = 0; k < n; k++) {
      putShort(bytes, page + 8 + 2 * k, cells[order[k]]);
    }
    return true;
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
    return t != null ? t : buildOnce();
  }

  private static synchronized Template buildOnce() throws IOException {
    if (template == null) {
      template = build();
    }
    return template;
  }

  private static Template build() throws IOException {
    Path dir = Files.createTempDirectory("durable-template");
    Path file = dir.resolve("empty.sqlite");
    try {
      int namePage;
      int kvPage;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
        st.execute("CREATE TABLE __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        try (var rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '__miniflare_do_name'")) {
          namePage = rs.getInt(1);
        }
        try (var rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '_cf_KV'")) {
          kvPage = rs.getInt(1);
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      int pageSize = ((bytes[16] & 0xFF) << 8) | (bytes[17] & 0xFF);
      int reserved = bytes[20] & 0xFF;
      if (pageSize < 512 || namePage < 2 || kvPage < 2 || bytes.length < Math.max(namePage, kvPage) * pageSize
          || bytes[(namePage - 1) * pageSize] != 0x0D || bytes[(kvPage - 1) * pageSize] != 0x0A) {
        throw new IOException("unexpected layout of the empty database: page size " + pageSize
            + ", name table at page " + namePage + ", key-value table at page " + kvPage + " of "
            + bytes.length / Math.max(pageSize, 1));
      }
      return new Template(bytes, (namePage - 1) * pageSize, (kvPage - 1) * pageSize, pageSize - reserved);
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
