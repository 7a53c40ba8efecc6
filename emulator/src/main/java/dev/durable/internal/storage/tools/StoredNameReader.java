package dev.durable.internal.storage.tools;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Reads an object's name from its database file ({@code __miniflare_do_name}) by parsing the
 * SQLite file format directly: two or three page reads instead of opening a connection, which
 * costs ten times more and leaves {@code -wal}/{@code -shm} files behind when read-only. Listing
 * ten thousand objects must stay well under a second without waking any.
 *
 * <p>It reads only the main file. Whatever it cannot read with certainty (the name is still in
 * the WAL, an overflowing record, another text encoding, a page being rewritten) is reported as
 * {@link Outcome#UNREADABLE}, and the caller asks SQLite instead. Callers also check that a name
 * found derives the object's id, so a torn read can never produce a wrong name.
 */
final class StoredNameReader {
  /** What reading a file gave. */
  enum Outcome { FOUND, NO_NAME, UNREADABLE }

  /** The outcome and, when found, the name. */
  record Result(Outcome outcome, String name) {
    static final Result NO_NAME = new Result(Outcome.NO_NAME, null);
    static final Result UNREADABLE = new Result(Outcome.UNREADABLE, null);
  }

  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final String NAME_TABLE = "__miniflare_do_name";
  private static final int MAX_PAGES_VISITED = 256;

  /** Read at once: the header and, with 4 KiB pages, the schema and the name table's pages. */
  private static final int FIRST_READ = 16 * 1024;

  private final RandomAccessFile file;
  private final byte[] head;
  private final int pageSize;
  private final int usable;
  private final long pageCount;
  private int visited;

  private StoredNameReader(RandomAccessFile file, byte[] head, int pageSize, int usable, long pageCount) {
    this.file = file;
    this.head = head;
    this.pageSize = pageSize;
    this.usable = usable;
    this.pageCount = pageCount;
  }

  /** Reads the name stored in the file (the row with the lowest id, as Miniflare's reader does). */
  static Result read(Path file) {
    // RandomAccessFile: opening it costs half of opening a FileChannel, and this runs per object.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      byte[] h = new byte[FIRST_READ];
      int read = readAtMost(raf, h);
      if (read < 100 || !Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        return Result.UNREADABLE;
      }
      int pageSize = u16(h, 16) == 1 ? 65536 : u16(h, 16);
      int encoding = (int) u32(h, 56);
      if (pageSize < 512 || Integer.bitCount(pageSize) != 1 || (encoding != 1 && encoding != 0)) {
        return Result.UNREADABLE;
      }
      int usable = pageSize - (h[20] & 0xff);
      // The page count in the header is valid when its "version valid for" matches the change counter.
      long pages = u32(h, 92) == u32(h, 24) && u32(h, 28) > 0 ? u32(h, 28) : raf.length() / pageSize;
      return new StoredNameReader(raf, Arrays.copyOf(h, read), pageSize, usable, pages).findName();
    } catch (FileNotFoundException e) {
      return Files.exists(file) ? Result.UNREADABLE : Result.NO_NAME;
    } catch (IOException | Corrupt e) {
      return Result.UNREADABLE;
    }
  }

  private Result findName() throws IOException {
    long[] root = {-1};
    walk(1, (page, offset, length, rowid) -> {
      Object[] f = record(page, offset, length, 4);
      if ("table".equals(f[0]) && NAME_TABLE.equals(f[1]) && f[3] instanceof Long r) {
        root[0] = r;
      }
    });
    if (root[0] < 0) {
      return Result.NO_NAME;
    }
    long[] lowest = {Long.MAX_VALUE};
    Object[] name = {null};
    walk(root[0], (page, offset, length, rowid) -> {
      if (rowid < lowest[0]) {
        lowest[0] = rowid;
        name[0] = record(page, offset, length, 2)[1];
      }
    });
    if (lowest[0] == Long.MAX_VALUE || name[0] == null) {
      return Result.NO_NAME;
    }
    return name[0] instanceof String s ? new Result(Outcome.FOUND, s) : Result.UNREADABLE;
  }

  @FunctionalInterface
  private interface CellVisitor {
    void visit(byte[] page, int payloadOffset, int localLength, long rowid);
  }

  /** Visits every cell of the table b-tree rooted at {@code root}. */
  private void walk(long root, CellVisitor visitor) throws IOException {
    ArrayDeque<Long> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      long pageNo = todo.pop();
      byte[] page = page(pageNo);
      int h = pageNo == 1 ? 100 : 0;
      int type = page[h] & 0xff;
      int cells = u16(page, h + 3);
      if (type == 0x0d) {
        for (int i = 0; i < cells; i++) {
          int at = u16(page, h + 8 + 2 * i);
          long[] v = new long[2];
          int pos = varint(page, at, v);
          long payload = v[0];
          pos = varint(page, pos, v);
          long rowid = v[0];
          int local = localPayload(payload);
          if (pos + local > pageSize) {
            throw new Corrupt();
          }
          visitor.visit(page, pos, local, rowid);
        }
      } else if (type == 0x05) {
        todo.push(u32(page, h + 8));
        for (int i = 0; i < cells; i++) {
          todo.push(u32(page, u16(page, h + 12 + 2 * i)));
        }
      } else {
        throw new Corrupt();
      }
    }
  }

  /** The first {@code fields} values of a record; a value beyond the local payload is unreadable. */
  private static Object[] record(byte[] page, int offset, int length, int fields) {
    int end = offset + length;
    long[] v = new long[2];
    int pos = varint(page, offset, v);
    long headerSize = v[0];
    int headerEnd = (int) (offset + headerSize);
    if (headerSize < 1 || headerEnd > end) {
      throw new Corrupt();
    }
    Object[] out = new Object[fields];
    int data = headerEnd;
    for (int i = 0; i < fields && pos < headerEnd; i++) {
      pos = varint(page, pos, v);
      long type = v[0];
      int size = serialSize(type);
      if (data + size > end) {
        throw new Corrupt();
      }
      out[i] = value(page, data, type, size);
      data += size;
    }
    return out;
  }

  private static Object value(byte[] page, int at, long type, int size) {
    if (type == 0) {
      return null;
    }
    if (type == 8 || type == 9) {
      return type - 8;
    }
    if (type >= 1 && type <= 6) {
      long n = page[at]; // sign-extended first byte
      for (int i = 1; i < size; i++) {
        n = (n << 8) | (page[at + i] & 0xff);
      }
      return n;
    }
    if (type == 7) {
      return Double.longBitsToDouble(bigEndian(page, at, 8));
    }
    if (type >= 13 && type % 2 == 1) {
      return new String(page, at, size, StandardCharsets.UTF_8);
    }
    if (type >= 12) {
      return Arrays.copyOfRange(page, at, at + size);
    }
    throw new Corrupt();
  }

  private static int serialSize(long type) {
    return switch ((int) Math.min(type, 12)) {
      case 0, 8, 9 -> 0;
      case 1, 2, 3, 4 -> (int) type;
      case 5 -> 6;
      case 6, 7 -> 8;
      case 12 -> (int) ((type - 12 - (type % 2)) / 2);
      default -> throw new Corrupt();
    };
  }

  /** How much of a payload of {@code p} bytes is on the leaf page (SQLite's formula). */
  private int localPayload(long p) {
    int x = usable - 35;
    if (p <= x) {
      return (int) p;
    }
    int m = ((usable - 12) * 32 / 255) - 23;
    long k = m + ((p - m) % (usable - 4));
    return (int) (k <= x ? k : m);
  }

  private byte[] page(long pageNo) throws IOException {
    if (pageNo < 1 || pageNo > pageCount || ++visited > MAX_PAGES_VISITED) {
      throw new Corrupt();
    }
    long start = (pageNo - 1) * pageSize;
    if (start + pageSize <= head.length) {
      return Arrays.copyOfRange(head, (int) start, (int) start + pageSize);
    }
    byte[] page = new byte[pageSize];
    file.seek(start);
    file.readFully(page); // a file too short throws EOFException: unreadable, as Corrupt
    return page;
  }

  private static int readAtMost(RandomAccessFile raf, byte[] into) throws IOException {
    int total = 0;
    while (total < into.length) {
      int n = raf.read(into, total, into.length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Reads a SQLite varint at {@code at} into {@code out[0]}; returns the position after it. */
  private static int varint(byte[] b, int at, long[] out) {
    long v = 0;
    for (int i = 0; i < 9; i++) {
      if (at + i >= b.length) {
        throw new Corrupt();
      }
      int c = b[at + i] & 0xff;
      if (i == 8) {
        out[0] = (v << 8) | c;
        return at + 9;
      }
      v = (v << 7) | (c & 0x7f);
      if ((c & 0x80) == 0) {
        out[0] = v;
        return at + i + 1;
      }
    }
    throw new Corrupt();
  }

  private static int u16(byte[] b, int at) {
    if (at + 2 > b.length) {
      throw new Corrupt();
    }
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static long u32(byte[] b, int at) {
    if (at + 4 > b.length) {
      throw new Corrupt();
    }
    return bigEndian(b, at, 4);
  }

  private static long bigEndian(byte[] b, int at, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  /** The file is not what this reader can vouch for; the caller asks SQLite. */
  private static final class Corrupt extends RuntimeException {
    Corrupt() {
      super(null, null, false, false);
    }
  }
}
