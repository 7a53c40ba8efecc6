package dev.durable.internal.reload;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directory trees and single files and calls back once things have been quiet for a
 * while after a change, so a compile that rewrites many files causes one reload, not hundreds.
 */
public final class ChangeWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

  private final WatchService service;
  private final Map<WatchKey, Path> directories = new HashMap<>();
  private final List<Path> files;
  private final List<Path> trees;
  private final Duration quiet;
  private final Runnable onChange;
  private final Thread thread;

  private ChangeWatcher(List<Path> trees, List<Path> files, Duration quiet, Runnable onChange)
      throws IOException {
    this.service = trees.isEmpty() && files.isEmpty() ? null
        : (trees.isEmpty() ? files.getFirst() : trees.getFirst()).getFileSystem().newWatchService();
    this.trees = trees.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.files = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.quiet = quiet;
    this.onChange = onChange;
    for (Path t : this.trees) {
      registerTree(t);
      // mvn clean deletes the directory itself, and its watch with it: the parent sees it come back.
      if (t.getParent() != null && Files.isDirectory(t.getParent())) {
        register(t.getParent());
      }
    }
    this.files.forEach(f -> register(f.getParent()));
    this.thread = Thread.ofPlatform().daemon().name("durable-watcher").unstarted(this::loop);
  }

  /**
   * Starts watching: {@code trees} are directories watched with everything below them (new
   * subdirectories too), {@code files} single files (jars, the configuration).
   */
  public static ChangeWatcher start(List<Path> trees, List<Path> files, Duration quiet,
      Runnable onChange) {
    try {
      ChangeWatcher w = new ChangeWatcher(trees, files, quiet, onChange);
      w.thread.start();
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not watch " + trees + " " + files + ": " + e.getMessage(), e);
    }
  }

  private void loop() {
    if (service == null) {
      return;
    }
    try {
      while (true) {
        boolean changed = drain(service.take());
        // Wait for quiet: a compile writes many files over a short while.
        WatchKey next;
        while ((next = service.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          changed |= drain(next);
        }
        if (changed) {
          try {
            onChange.run();
          } catch (RuntimeException e) {
            log.error("Reacting to a change failed", e);
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed.
    }
  }

  /** Reads a key's events; returns whether any concerns what is watched. */
  private boolean drain(WatchKey key) {
    Path dir = directories.get(key);
    boolean relevant = false;
    for (var event : key.pollEvents()) {
      if (dir == null || !(event.context() instanceof Path name)) {
        relevant = true; // overflow: assume the worst
        continue;
      }
      Path changed = dir.resolve(name);
      if (isInTree(changed)) {
        relevant = true;
        if (event.kind() == ENTRY_CREATE && Files.isDirectory(changed)) {
          registerTree(changed);
        }
      } else if (files.contains(changed)) {
        relevant = true;
      }
    }
    if (!key.reset()) {
      directories.remove(key);
    }
    return relevant;
  }

  private boolean isInTree(Path p) {
    return trees.stream().anyMatch(p::startsWith);
  }

  private void registerTree(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.walk(root)) {
      dirs.filter(Files::isDirectory).forEach(this::register);
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not watch {}: {}", root, e.getMessage());
    }
  }

  private void register(Path dir) {
    try {
      directories.put(dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), dir);
    } catch (IOException e) {
      log.warn("Could not watch {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException ignored) {
        // Stopping anyway.
      }
      thread.interrupt();
    }
  }
}
