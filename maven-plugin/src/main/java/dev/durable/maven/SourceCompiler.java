package dev.durable.maven;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.apache.maven.plugin.logging.Log;

/**
 * Watches the project's sources and resources while {@code mvn durable:dev} runs and brings
 * {@code target/classes} up to date on each change: the sources are compiled again with the JDK's
 * compiler, changed resources copied, and the classes of deleted sources removed. The emulator
 * then reloads the classes, as it does after a {@code mvn compile} in another terminal.
 */
final class SourceCompiler implements AutoCloseable {
  /** Changes that come together (an editor saving several files) are compiled once. */
  private static final long QUIET_MILLIS = 300;

  private final List<Path> sourceRoots;
  private final Path resources;
  private final Path classes;
  private final List<String> classpath;
  private final String release;
  private final Log log;
  private final WatchService watcher;
  private final Thread thread;

  SourceCompiler(List<Path> sourceRoots, Path resources, Path classes, List<String> classpath,
      String release, Log log) {
    this.sourceRoots = sourceRoots.stream().filter(Files::isDirectory).toList();
    this.resources = resources;
    this.classes = classes;
    this.classpath = classpath;
    this.release = release;
    this.log = log;
    try {
      this.watcher = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.thread = Thread.ofPlatform().daemon().name("durable-dev-compile").unstarted(this::watch);
  }

  void start() {
    thread.start();
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("Closing the source watcher: " + e);
    }
  }

  private void watch() {
    try {
      for (Path root : sourceRoots) {
        registerTree(root);
      }
      if (Files.isDirectory(resources)) {
        registerTree(resources);
      }
      while (true) {
        WatchKey key = watcher.take();
        Set<Path> deleted = new HashSet<>();
        boolean changed = drain(key, deleted);
        // Wait until the files stop changing, then act once for all of them.
        for (WatchKey more; (more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
          changed |= drain(more, deleted);
        }
        if (changed) {
          update(deleted);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // mvn durable:dev is stopping
    } catch (IOException | UncheckedIOException e) {
      log.error("Watching the sources stopped: " + e.getMessage() + "; changes are no longer compiled"
          + " (run mvn compile in another terminal, or restart mvn durable:dev)");
    }
  }

  /** Takes the key's events; new directories are watched too. True when something changed. */
  private boolean drain(WatchKey key, Set<Path> deleted) throws IOException {
    Path dir = (Path) key.watchable();
    boolean changed = false;
    for (var event : key.pollEvents()) {
      if (!(event.context() instanceof Path name)) {
        changed = true; // events were lost: compile everything
        continue;
      }
      Path file = dir.resolve(name);
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(file)) {
        registerTree(file);
      }
      if (event.kind() == ENTRY_DELETE) {
        deleted.add(file);
      }
      changed = true;
    }
    key.reset();
    return changed;
  }

  private void registerTree(Path root) throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      }
    }
  }

  private void update(Set<Path> deleted) throws IOException {
    for (Path gone : deleted) {
      removeOutputOf(gone);
    }
    copyResources();
    compile();
  }

  /** A deleted source takes its classes along; a deleted resource its copy. */
  private void removeOutputOf(Path gone) throws IOException {
    for (Path root : sourceRoots) {
      if (gone.startsWith(root) && gone.toString().endsWith(".java")) {
        String relative = root.relativize(gone).toString();
        Path dir = classes.resolve(relative).getParent();
        String simple = gone.getFileName().toString().replace(".java", "");
        if (Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
              String n = f.getFileName().toString();
              if (n.equals(simple + ".class") || n.startsWith(simple + "$")) {
                Files.deleteIfExists(f);
              }
            }
          }
        }
      }
    }
    if (gone.startsWith(resources)) {
      Files.deleteIfExists(classes.resolve(resources.relativize(gone).toString()));
    }
  }

  private void copyResources() throws IOException {
    if (!Files.isDirectory(resources)) {
      return;
    }
    try (Stream<Path> files = Files.walk(resources)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = classes.resolve(resources.relativize(f).toString());
        if (!Files.exists(target) || Files.getLastModifiedTime(f).compareTo(Files.getLastModifiedTime(target)) > 0) {
          Files.createDirectories(target.getParent());
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Compiles every source: a change in one class may break another that uses it. */
  private void compile() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      log.error("Maven runs on a Java without a compiler (a JRE); changes are not compiled");
      return;
    }
    List<File> sources = new ArrayList<>();
    for (Path root : sourceRoots) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".java")).map(Path::toFile).forEach(sources::add);
      }
    }
    if (sources.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("-d", classes.toString(), "-classpath", String.join(File.pathSeparator, classpath),
          "--release", release, "-parameters", "-encoding", "UTF-8", "-proc:none");
      StringWriter out = new StringWriter();
      ok = javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
    }
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
      String text = where + d.getMessage(Locale.ROOT);
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        log.error(text);
      } else {
        log.warn(text);
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (ok) {
      log.info("Compiled " + sources.size() + " source file" + (sources.size() == 1 ? "" : "s") + " in "
          + millis + " ms");
    } else {
      log.error("Compilation failed (see above); the emulator keeps serving the classes it has");
    }
  }
}
