package dev.durable.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remembered copy of SQLite's library is used only while the jar and the copy are unchanged. */
class NativeSqliteCacheTest {
  @TempDir
  Path dir;

  private Path root;
  private Path jar;
  private Path library;

  @BeforeEach
  void files() throws IOException {
    root = Files.createDirectory(dir.resolve("durable-sqlite-me"));
    jar = Files.write(dir.resolve("sqlite-jdbc.jar"), new byte[] {1, 2, 3});
    library = Files.write(Files.createDirectory(root.resolve("3.54-Linux-x86_64")).resolve("abc-libsqlitejdbc.so"),
        new byte[] {4, 5, 6, 7});
  }

  @Test
  void theCopyRememberedForAnUnchangedJarIsFound() throws IOException {
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
    NativeSqliteCache.remember(root, jar, library);
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isEqualTo(library);
  }

  @Test
  void aReplacedJarIsNotMatched() throws IOException {
    NativeSqliteCache.remember(root, jar, library);
    Files.write(jar, new byte[] {1, 2, 3, 4});
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
  }

  @Test
  void aJarWithANewModificationTimeIsNotMatched() throws IOException {
    NativeSqliteCache.remember(root, jar, library);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
  }

  @Test
  void anotherJarHasNothingRemembered() throws IOException {
    NativeSqliteCache.remember(root, jar, library);
    Path other = Files.write(dir.resolve("other-sqlite-jdbc.jar"), new byte[] {1, 2, 3});
    assertThat(NativeSqliteCache.rememberedLibrary(root, other)).isNull();
  }

  @Test
  void aCopyThatChangedSizeOrVanishedIsNotUsed() throws IOException {
    NativeSqliteCache.remember(root, jar, library);
    Files.write(library, new byte[] {4, 5});
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
    Files.delete(library);
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
  }

  @Test
  void anIndexPointingOutsideTheCacheIsIgnored() throws IOException {
    NativeSqliteCache.remember(root, jar, library);
    Path index;
    try (var files = Files.list(root)) {
      index = files.filter(p -> p.getFileName().toString().startsWith("jar-")).findFirst().orElseThrow();
    }
    Path outside = Files.write(dir.resolve("evil.so"), new byte[] {4, 5, 6, 7});
    List<String> lines = Files.readAllLines(index);
    Files.write(index, List.of(lines.get(0), root.relativize(outside).toString(), "4", "end"));
    assertThat(NativeSqliteCache.rememberedLibrary(root, jar)).isNull();
  }
}
