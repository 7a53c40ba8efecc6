package dev.durable.internal.reload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user's compiled classes (directories and jars). Each {@link #load()} makes a fresh class
 * loader, so a new compile is picked up without restarting the process, and loads every class
 * of the directories at once: a half-written compile fails here, not in the middle of a request.
 */
public final class UserClasses {
  private final List<Path> classpath;
  private final ClassLoader parent;

  /**
   * @param classpath directories of {@code .class} files and jars, in lookup order
   * @param parent the loader of the emulator's own classes (the programming model)
   */
  public UserClasses(List<Path> classpath, ClassLoader parent) {
    for (Path p : classpath) {
      if (!Files.isDirectory(p) && !(Files.isRegularFile(p) && p.toString().endsWith(".jar"))) {
        throw new IllegalArgumentException("Classpath entry " + p
            + " is neither a directory nor a .jar file (compile the project first?)");
      }
    }
    this.classpath = List.copyOf(classpath);
    this.parent = parent;
  }

  /**
   * A new loader over the classpath, with every class found in its directories loaded.
   *
   * @throws ClassLoadingException naming the class that did not load and why
   */
  public ClassLoader load() throws ClassLoadingException {
    URL[] urls = classpath.stream().map(UserClasses::toUrl).toArray(URL[]::new);
    URLClassLoader loader = new URLClassLoader("durable-user-classes", urls, parent);
    for (String name : classNames()) {
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        closeQuietly(loader);
        throw new ClassLoadingException("Class " + name + " does not load: " + e, e);
      }
    }
    return loader;
  }

  private List<String> classNames() {
    List<String> names = new ArrayList<>();
    for (Path root : classpath) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".class"))
            .map(f -> root.relativize(f).toString())
            .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
            .map(n -> n.substring(0, n.length() - ".class".length()).replace(java.io.File.separatorChar, '.'))
            .forEach(names::add);
      } catch (IOException | UncheckedIOException e) {
        throw new ClassLoadingException("Could not read " + root + ": " + e.getMessage(), e);
      }
    }
    return names;
  }

  private static URL toUrl(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("Bad classpath entry " + p, e);
    }
  }

  private static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException ignored) {
      // Nothing was handed out from this loader.
    }
  }

  /** A class of the user's project did not load (missing, half-compiled, or broken). */
  public static final class ClassLoadingException extends RuntimeException {
    ClassLoadingException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
