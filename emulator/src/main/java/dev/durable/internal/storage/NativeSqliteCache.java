package dev.durable.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.List;
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
 *
 * <p>Which copy belongs to which sqlite-jdbc jar is remembered next to the copies (keyed by the
 * jar's path, size and modification time), so later starts skip finding the platform's library
 * in the jar: sqlite-jdbc's platform detection alone scans all files the process has mapped.
 * Should a remembered copy not load, sqlite-jdbc falls back to extracting the library itself.
 *
 * <p>Measured in BENCHMARKS.md, "Test kit (issue 5)" and "Dev server (issue 3)": start-up.
 */
public final class NativeSqliteCache {
  private NativeSqliteCache() {}

  /**
   * Prepares the cached library, then loads it and the database code by opening (and dropping)
   * one in-memory object database: a head start for whatever opens the first database.
   */
  public static void load() {
    prepare();
    ObjectDatabase db = new ObjectDatabase(null, "warm-up", ObjectDatabase.Tracker.NONE, false);
    try {
      db.connection();
    } finally {
      db.discard();
    }
  }

  /** Points sqlite-jdbc at the cached library; changes nothing when it cannot. */
  public static void prepare() {
    if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
      return;
    }
    try {
      Path root = ownRoot();
      if (root == null) {
        return;
      }
      Path jarFile = sqliteJar();
      Path library = jarFile == null ? null : rememberedLibrary(root, jarFile);
      if (library == null) {
        library = extract(root);
        if (library == null) {
          return;
        }
        if (jarFile != null) {
          remember(root, jarFile, library);
        }
      }
      System.setProperty("org.sqlite.lib.path", library.getParent().toString());
      System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
    } catch (IOException | RuntimeException | LinkageError e) {
      // sqlite-jdbc then extracts the library itself, as it always does
    }
  }

  /** The platform's library copied out of the jar (unless an intact copy exists); null if not in a jar. */
  private static Path extract(Path root) throws IOException {
    String name = LibraryLoaderUtil.getNativeLibName();
    String resourcePath = LibraryLoaderUtil.getNativeLibResourcePath();
    URL resource = SQLiteJDBCLoader.class.getResource(resourcePath + "/" + name);
    if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
      return null;
    }
    jar.setUseCaches(true);
    JarEntry entry = jar.getJarEntry();
    if (entry.getSize() < 0 || entry.getCrc() < 0) {
      return null;
    }
    String platform = resourcePath.replaceAll("[^A-Za-z0-9_.-]+", "-");
    Path directory = root.resolve(SQLiteJDBCLoader.getVersion() + platform);
    Files.createDirectories(directory);
    // The jar's checksum names the copy: a changed library gets a new file, and an unchanged
    // one is found without reading megabytes out of the jar on every start.
    Path file = directory.resolve(Long.toHexString(entry.getCrc()) + "-" + name);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.getSize()) {
      Path temporary = Files.createTempFile(directory, "extracting-", ".tmp");
      try (InputStream in = jar.getInputStream()) {
        Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return file;
  }

  /** The jar sqlite-jdbc was loaded from, or null (classes from a directory, no code source). */
  private static Path sqliteJar() {
    try {
      CodeSource source = SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The copy remembered for this jar, if the jar is unchanged (same size and modification time)
   * and the copy is still a regular file of the remembered size inside {@code root}; else null.
   */
  static Path rememberedLibrary(Path root, Path jarFile) throws IOException {
    Path index = indexFile(root, jarFile);
    if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
    if (lines.size() != 4 || !lines.get(0).equals(describe(jarFile))) {
      return null;
    }
    Path library = root.resolve(lines.get(1)).normalize();
    if (!library.startsWith(root) || library.getNameCount() != root.getNameCount() + 2) {
      return null;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(library, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() == Long.parseLong(lines.get(2)) ? library : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Remembers that this jar's library is {@code library} (a file two levels under {@code root}). */
  static void remember(Path root, Path jarFile, Path library) throws IOException {
    String text = describe(jarFile) + "\n" + root.relativize(library) + "\n" + Files.size(library) + "\nend\n";
    Path temporary = Files.createTempFile(root, "index-", ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, indexFile(root, jarFile), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path indexFile(Path root, Path jarFile) {
    return root.resolve("jar-" + Integer.toHexString(jarFile.toAbsolutePath().toString().hashCode()) + ".txt");
  }

  /** The jar's path, size and modification time: a replaced jar no longer matches. */
  private static String describe(Path jarFile) throws IOException {
    BasicFileAttributes a = Files.readAttributes(jarFile, BasicFileAttributes.class);
    return jarFile.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
  }

  /** {@code <tmp>/durable-sqlite-<user>}, private to this user; null if it is not. */
  private static Path ownRoot() throws IOException {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_");
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "durable-sqlite-" + user).toAbsolutePath();
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (posix) {
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(root);
      }
    } catch (FileAlreadyExistsException e) {
      // made by an earlier start, or by a test JVM running at the same time
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (posix && (!Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS)
            .equals(PosixFilePermissions.fromString("rwx------")))) {
      return null; // someone else's directory: never load a library from it
    }
    return root;
  }
}
