package dev.durable.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Keeps the {@code -wal} and {@code -shm} files SQLite deletes when an object's database closes,
 * and hands them to the next database of the namespace that opens without its own, so that
 * evicting and opening objects creates and deletes no files.
 *
 * <p>Why: creating a file can cost half a millisecond of CPU when many files were deleted in the
 * last minutes, because ext4 without a journal skips every recently deleted inode when it picks
 * one for a new file. Each object opened and closed used to create and delete two files, so
 * touching thousands of objects slowed itself down (10,000 fresh objects took 17 s).
 *
 * <p>How, without changing what SQLite does: just before a database closes, its {@code -wal}
 * and {@code -shm} get a second name in the namespace's {@code .spare} directory. SQLite then
 * closes as always, and deletes its names only when it was the last connection to the database
 * (of any process); a spare whose original name is gone therefore belongs to nobody and is kept,
 * emptied. Any other spare is dropped. A database about to open without those files gets a spare
 * linked in under each missing name: an empty WAL, and a shared-memory file SQLite rebuilds, as
 * the first connection always does. A spare with a second name (left by a crash) is never used.
 * File systems without hard links simply get no spares.
 */
public final class SpareFiles {
  /** The directory of spares inside a namespace directory; it holds no object. */
  public static final String DIRECTORY_NAME = ".spare";

  private static final String[] SUFFIXES = {"-wal", "-shm"};
  /** Spares kept per kind; each is an empty file (an inode, no data). */
  private static final int MAX_SPARES = 4096;

  private final Path directory;
  private final List<Pool> pools = List.of(new Pool(), new Pool());
  private volatile boolean scanned;
  private volatile boolean unsupported;

  /** The spares of one kind. */
  private static final class Pool {
    final ConcurrentLinkedDeque<Path> files = new ConcurrentLinkedDeque<>();
    final AtomicInteger size = new AtomicInteger();

    Path take() {
      Path p = files.poll();
      if (p != null) {
        size.decrementAndGet();
      }
      return p;
    }

    void put(Path p) {
      files.push(p);
      size.incrementAndGet();
    }
  }

  /** Spares for the object databases of {@code namespaceDirectory}. */
  public SpareFiles(Path namespaceDirectory) {
    this.directory = namespaceDirectory.resolve(DIRECTORY_NAME);
  }

  /** Links a spare under each of {@code database}'s missing {@code -wal} and {@code -shm}. */
  void supply(Path database) {
    if (unsupported) {
      return;
    }
    scanOnce();
    for (int kind = 0; kind < SUFFIXES.length; kind++) {
      Path target = companion(database, kind);
      Path spare;
      while ((spare = pools.get(kind).take()) != null) {
        try {
          Files.createLink(target, spare); // fails if the target exists: never replaces a file
          deleteQuietly(spare);
        } catch (FileAlreadyExistsException e) {
          pools.get(kind).put(spare);
        } catch (NoSuchFileException e) {
          continue; // the spare vanished: try the next one
        } catch (IOException | UnsupportedOperationException e) {
          pools.get(kind).put(spare);
          unsupported = true;
        }
        break;
      }
    }
  }

  /**
   * Gives {@code database}'s current {@code -wal} and {@code -shm} a spare name, before its
   * connection closes; {@link Kept#afterClose()} keeps the spares SQLite let go of.
   */
  Kept beforeClose(Path database) {
    if (unsupported) {
      return Kept.NONE;
    }
    scanOnce();
    Path[] names = new Path[SUFFIXES.length];
    for (int kind = 0; kind < SUFFIXES.length; kind++) {
      if (pools.get(kind).size.get() >= MAX_SPARES) {
        continue;
      }
      Path original = companion(database, kind);
      Path spare = directory.resolve(UUID.randomUUID() + SUFFIXES[kind]);
      try {
        Files.createLink(spare, original);
        names[kind] = spare;
      } catch (NoSuchFileException e) {
        // SQLite has not made this file, or the spare directory was removed: nothing to keep.
      } catch (IOException | UnsupportedOperationException e) {
        unsupported = true;
        break;
      }
    }
    return () -> {
      for (int kind = 0; kind < names.length; kind++) {
        if (names[kind] != null) {
          keep(kind, names[kind]);
        }
      }
    };
  }

  /** Spares taken by a closing database. */
  interface Kept {
    Kept NONE = () -> {};

    /** Keeps the spares whose files SQLite deleted; drops the others. */
    void afterClose();
  }

  private void keep(int kind, Path spare) {
    if (linkCount(spare) != 1) {
      deleteQuietly(spare); // SQLite kept its file: another connection still uses it
      return;
    }
    try {
      if (Files.size(spare) > 0) {
        try (FileChannel ch = FileChannel.open(spare, StandardOpenOption.WRITE)) {
          ch.truncate(0);
        }
      }
      pools.get(kind).put(spare);
    } catch (IOException e) {
      deleteQuietly(spare);
    }
  }

  /** Makes the spare directory, or takes up the spares a previous run left in it, once. */
  private void scanOnce() {
    if (scanned) {
      return;
    }
    synchronized (this) {
      if (scanned) {
        return;
      }
      List<Path> found = new ArrayList<>();
      try {
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
          files.forEach(found::add);
        }
      } catch (IOException e) {
        unsupported = true; // no place for spares: SQLite makes and deletes its files itself
        return;
      }
      for (Path p : found) {
        String name = p.getFileName().toString();
        for (int kind = 0; kind < SUFFIXES.length; kind++) {
          if (name.endsWith(SUFFIXES[kind])) {
            keep(kind, p);
          }
        }
      }
      scanned = true;
    }
  }

  private static Path companion(Path database, int kind) {
    return database.resolveSibling(database.getFileName() + SUFFIXES[kind]);
  }

  /** The number of names of a file; 0 when it cannot be read. */
  private int linkCount(Path p) {
    try {
      return (Integer) Files.getAttribute(p, "unix:nlink");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      if (!(e instanceof IOException)) {
        unsupported = true;
      }
      return 0;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A spare that stays behind is an empty file; the next scan takes it up or drops it.
    }
  }
}
