package dev.durable.internal.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Keeps the {@code -wal} files SQLite deletes when an object's database closes, and hands them to
 * the next database of the namespace that opens without its own, so that evicting and opening
 * objects creates and deletes no files. (Object databases hold their lock while open, so SQLite
 * keeps the WAL index in memory and makes no {@code -shm} file; see {@link ObjectDatabase}.)
 *
 * <p>Why: creating a file can cost half a millisecond of CPU when many files were deleted in the
 * last minutes, because ext4 without a journal skips every recently deleted inode when it picks
 * one for a new file. Each object opened and closed used to create and delete its WAL, so
 * touching thousands of objects slowed itself down.
 *
 * <p>How, without changing what SQLite does: just before a database closes, its {@code -wal} gets
 * a second name in the namespace's {@code .spare} directory. SQLite then closes as always, and
 * deletes its name only when it was the last connection to the database (of any process); a
 * spare whose original name is gone therefore belongs to nobody and is kept, emptied. Any other
 * spare is dropped. A database about to open without a WAL gets a spare linked in under the
 * missing name: an empty WAL, as SQLite would create. A spare with a second name (left by a
 * crash) is never used. File systems without hard links simply get no spares.
 *
 * <p>Measured in BENCHMARKS.md, "Dev server (issue 3)": the touch of 10,000 fresh objects.
 */
public final class SpareFiles {
  /** The directory of spares inside a namespace directory; it holds no object. */
  public static final String DIRECTORY_NAME = ".spare";

  private static final String SUFFIX = "-wal";
  /** Spares kept; each is an empty file (an inode, no data). */
  private static final int MAX_SPARES = 4096;

  private final Path directory;
  /** Spare names: unique to this instance, then numbered (no random number per close). */
  private final String namePrefix = UUID.randomUUID() + "-";
  private final AtomicLong names = new AtomicLong();
  private final ConcurrentLinkedDeque<Path> pool = new ConcurrentLinkedDeque<>();
  private final AtomicInteger poolSize = new AtomicInteger();
  private volatile boolean scanned;
  private volatile boolean unsupported;

  /** Spares for the object databases of {@code namespaceDirectory}. */
  public SpareFiles(Path namespaceDirectory) {
    this.directory = namespaceDirectory.resolve(DIRECTORY_NAME);
  }

  /** Links a spare under {@code database}'s {@code -wal} when it has none. */
  void supply(Path database) {
    if (unsupported) {
      return;
    }
    scanOnce();
    Path target = wal(database);
    Path spare;
    while ((spare = take()) != null) {
      try {
        Files.createLink(target, spare); // fails if the target exists: never replaces a file
        deleteQuietly(spare);
      } catch (FileAlreadyExistsException e) {
        put(spare);
      } catch (NoSuchFileException e) {
        continue; // the spare vanished: try the next one
      } catch (IOException | UnsupportedOperationException e) {
        put(spare);
        unsupported = true;
      }
      break;
    }
  }

  /**
   * Gives {@code database}'s current {@code -wal} a spare name, before its connection closes;
   * what it returns, run after the close, keeps the spare if SQLite deleted its file and drops
   * it otherwise.
   */
  Runnable beforeClose(Path database) {
    if (unsupported || poolSize.get() >= MAX_SPARES) {
      return () -> {};
    }
    scanOnce();
    Path spare = directory.resolve(namePrefix + names.incrementAndGet() + SUFFIX);
    try {
      Files.createLink(spare, wal(database));
    } catch (NoSuchFileException e) {
      return () -> {}; // SQLite has not made the file, or the spare directory was removed
    } catch (IOException | UnsupportedOperationException e) {
      unsupported = true;
      return () -> {};
    }
    return () -> keep(spare);
  }

  private Path take() {
    Path p = pool.poll();
    if (p != null) {
      poolSize.decrementAndGet();
    }
    return p;
  }

  private void put(Path p) {
    pool.push(p);
    poolSize.incrementAndGet();
  }

  private void keep(Path spare) {
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
      put(spare);
    } catch (IOException e) {
      deleteQuietly(spare);
    }
  }

  /**
   * Makes the spare directory, or takes up the spares a previous run left in it, once (and drops
   * the {@code -shm} spares of earlier versions).
   */
  private void scanOnce() {
    if (scanned) {
      return;
    }
    synchronized (this) {
      if (scanned) {
        return;
      }
      List<Path> found;
      try {
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
          found = files.toList();
        }
      } catch (IOException e) {
        unsupported = true; // no place for spares: SQLite makes and deletes its files itself
        return;
      }
      for (Path p : found) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          keep(p);
        } else if (name.endsWith("-shm")) {
          deleteQuietly(p);
        }
      }
      scanned = true;
    }
  }

  private static Path wal(Path database) {
    return database.resolveSibling(database.getFileName() + SUFFIX);
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
