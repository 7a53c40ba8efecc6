package dev.durable.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarEntry;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library extracted between JVM starts. sqlite-jdbc copies the library
 * out of its jar into the temporary directory on every start and compares the copy byte by byte,
 * which costs a few hundred milliseconds of each start (of the emulator, of a test JVM). Here the
 * copy is kept in a directory of this user's under {@code java.io.tmpdir}, named by the jar
 * entry's checksum, and handed to sqlite-jdbc through its {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name} properties. Nothing happens when those are set already or the library is not in the jar.
 */
public final class NativeSqliteCache {
  private NativeSqliteCache() {}

  /** Points sqlite-jdbc at the cached library; returns false (and changes nothing) when it cannot. */
  public static boolean prepare() {
    if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
      return false;
    }
    try {
      String name = LibraryLoaderUtil.getNativeLibName();
      URL resource = SQLiteJDBCLoader.class.getResource(
          LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
      if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
        return false;
      }
      jar.setUseCaches(true);
      JarEntry entry = jar.getJarEntry();
      Path directory = ownDirectory();
      if (directory == null || entry.getSize() < 0 || entry.getCrc() < 0) {
        return false;
      }
      // The jar's checksum names the copy: a changed library gets a new file, and an unchanged
      // one is found without reading megabytes out of the jar on every start.
      String cachedName = Long.toHexString(entry.getCrc()) + "-" + name;
      Path file = directory.resolve(cachedName);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.getSize()) {
        Path temporary = Files.createTempFile(directory, "extracting-", ".tmp");
        try (InputStream in = jar.getInputStream()) {
          Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      System.setProperty("org.sqlite.lib.path", directory.toString());
      System.setProperty("org.sqlite.lib.name", cachedName);
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
