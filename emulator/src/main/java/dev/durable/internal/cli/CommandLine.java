package dev.durable.internal.cli;

import dev.durable.internal.server.EmulatorOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the {@code durable} commands ({@code dev}, {@code init}, {@code repl}) read alike. */
public final class CommandLine {
  private CommandLine() {}

  /**
   * The value after an option; an error naming the option when the next word is missing or is
   * an option itself ({@code -1} and {@code -}, standard input, are values).
   */
  public static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].length() > 1 && args[i].startsWith("-")
        && !Character.isDigit(args[i].charAt(1))) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  /**
   * The project that {@code --config}, {@code --classpath}, {@code --state} and
   * {@code --in-memory} describe (null or false when not given), with its default options.
   */
  public static EmulatorOptions project(Path config, String classpath, Path state,
      boolean inMemory) {
    if (inMemory && state != null) {
      throw new UsageException("--in-memory and --state contradict each other; pick one");
    }
    Path file = config != null ? config : Path.of("durable.jsonc");
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no configuration at " + file.toAbsolutePath().normalize()
          + " (give one with --config path/durable.jsonc)");
    }
    EmulatorOptions options = EmulatorOptions.forProject(file, classpath(file, classpath));
    if (inMemory || state != null) {
      options = options.withStateDirectory(state);
    }
    return options;
  }

  /**
   * The compiled classes of a project: the {@code File.pathSeparator}-separated entries given
   * (each must exist), or {@code target/classes} beside the configuration when none are.
   */
  private static List<Path> classpath(Path config, String given) {
    if (given == null) {
      Path dir = config.toAbsolutePath().getParent().resolve("target").resolve("classes");
      if (!Files.isDirectory(dir)) {
        throw new UsageException("no compiled classes at " + dir
            + " (compile the project, or give them with --classpath)");
      }
      return List.of(dir);
    }
    List<Path> entries = new ArrayList<>();
    for (String part : given.split(File.pathSeparator)) {
      if (part.isBlank()) {
        continue;
      }
      Path p = Path.of(part);
      if (!Files.exists(p)) {
        throw new UsageException("--classpath entry " + p + " does not exist");
      }
      entries.add(p);
    }
    if (entries.isEmpty()) {
      throw new UsageException("--classpath is empty");
    }
    return List.copyOf(entries);
  }

  /** A mistake on the command line: the command prints it and exits with status 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
