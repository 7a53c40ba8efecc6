package dev.durable.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library extracted between JVM starts. sqlite-jdbc copies the library
 * out of its jar into the temporary directory on every start and compares the copy byte by byte,
 * which costs a few hundred milliseconds of each start (of the emulator, of a test JVM); here the copy is kept in a directory
 * of this user's under {@code java.io.tmpdir}, compared in bulk against the jar's bytes, and
 * handed to sqlite-jdbc through its {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}
 * properties. Nothing happens when those are set already or the library is not in the jar.
 */
public final class NativeSqliteCache {
  private NativeSqliteCache() {}

  /** Points sqlite-jdbc at the cached library; returns false (and changes nothing) when it cannot. */
  public static boolean prepare() {
    if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
      return false;
    }
    try {
      String folder = LibraryLoaderUtil.getNativeLibResourcePath();
      String name = LibraryLoaderUtil.getNativeLibName();
      byte[] library;
      try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(folder + "/" + name)) {
        if (in == null) {
          return false;
        }
        library = in.readAllBytes();
      }
      Path directory = ownDirectory();
      if (directory == null) {
        return false;
      }
      Path file = directory.resolve(name);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          || !Arrays.equals(Files.readAllBytes(file), library)) {
        Path temporary = Files.createTempFile(directory, "extracting-", ".tmp");
        Files.write(temporary, library);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      System.setProperty("org.sqlite.lib.path", directory.toString());
      System.setProperty("org.sqlite.lib.name", name);
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      return false; // sqlite-jdbc then extracts the library itself, as it always does
    }
  }

  /** {@code <tmp>/durable-sqlite-<user>/<version>-<platform>}, private to this user; null if not. */
  private static Path ownDirectory() throws IOException {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_");
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "durable-sqlite-" + user);
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (posix) {
          Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(root);
        }
      } catch (FileAlreadyExistsException e) {
        // made by a test JVM running at the same time
      }
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (posix && (!Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS)
            .equals(PosixFilePermissions.fromString("rwx------")))) {
      return null; // someone else's directory: never load a library from it
    }
    String platform = LibraryLoaderUtil.getNativeLibResourcePath().replaceAll("[^A-Za-z0-9_.-]+", "-");
    Path directory = root.resolve(SQLiteJDBCLoader.getVersion() + platform);
    Files.createDirectories(directory);
    return directory;
  }
}
