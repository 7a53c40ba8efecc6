package dev.durable.internal.cli;

import static dev.durable.internal.cli.CommandLine.value;

import dev.durable.internal.cli.CommandLine.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * {@code durable init DIR}: writes a new Maven project with a worker, a counter object, tests
 * that use the test kit, and a {@code durable.jsonc}. The launcher installs durable's artifacts
 * into the local Maven repository afterwards, so the project builds on the first try.
 */
final class InitCommand {
  static final String HELP = """
      Usage: durable init DIR [options]

      Writes a new Maven project into DIR (which must not exist or be empty): a worker, a
      Durable Object (a counter), JUnit tests using durable's test kit, durable.jsonc, a README.
      Then 'mvn test' runs the tests and 'mvn durable:dev' serves the worker.

      Options:
        --name NAME        The project's artifactId and the worker's name in durable.jsonc:
                           lowercase letters, digits and '-' (default: DIR's name).
        --package PACKAGE  The Java package of its classes (default: com.example.<name>
                           without the dashes).
        --help, -h         Show this text.
      """;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

  private InitCommand() {}

  /** What to write: the directory, the project's name and its package. */
  record Project(Path dir, String name, String packageName) {
    /** Each file of the project, by its path relative to {@link #dir()}, from its template. */
    Map<String, String> files() {
      String source = packageName.replace('.', '/');
      Map<String, String> files = new LinkedHashMap<>();
      files.put("pom.xml", "pom.xml");
      files.put("durable.jsonc", "durable.jsonc");
      files.put("src/main/java/" + source + "/App.java", "App.java");
      files.put("src/main/java/" + source + "/CounterApi.java", "CounterApi.java");
      files.put("src/main/java/" + source + "/Counter.java", "Counter.java");
      files.put("src/test/java/" + source + "/CounterTest.java", "CounterTest.java");
      files.put(".gitignore", "gitignore");
      files.put("README.md", "README.md");
      return files;
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(HELP);
      return 0;
    }
    Project project;
    try {
      project = parse(args);
      write(project, DurableCommand.version());
    } catch (UsageException e) {
      err.println("durable init: " + e.getMessage());
      err.println("Run 'durable init --help' for the options.");
      return 2;
    } catch (UncheckedIOException e) {
      err.println("durable init: could not write the project: " + e.getCause().getMessage());
      return 1;
    }
    out.println("Wrote " + project.name() + " (package " + project.packageName() + ") into "
        + project.dir() + ":");
    project.files().keySet().forEach(f -> out.println("  " + f));
    return 0;
  }

  static Project parse(String[] args) {
    Path dir = null;
    String name = null;
    String packageName = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--name" -> name = value(args, ++i, a);
        case "--package" -> packageName = value(args, ++i, a);
        default -> {
          if (a.startsWith("-")) {
            throw new UsageException("unknown option '" + a + "'");
          }
          if (dir != null) {
            throw new UsageException("one directory only, got '" + dir + "' and '" + a + "'");
          }
          dir = Path.of(a);
        }
      }
    }
    if (dir == null) {
      throw new UsageException("which directory? e.g. durable init ../my-app");
    }
    dir = dir.toAbsolutePath().normalize();
    checkEmpty(dir);
    if (name == null) {
      name = defaultName(dir);
    } else if (!NAME.matcher(name).matches()) {
      throw new UsageException("--name must be lowercase letters, digits and single dashes, starting"
          + " with a letter (it becomes the artifactId and the worker's name), got '" + name + "'");
    }
    if (packageName == null) {
      packageName = "com.example." + name.replace("-", "");
    }
    checkPackage(packageName);
    return new Project(dir, name, packageName);
  }

  private static void checkEmpty(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException(dir + " is a file, not a directory");
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(3).toList();
        if (!names.isEmpty()) {
          throw new UsageException(dir + " is not empty (it holds " + String.join(", ", names)
              + (names.size() == 3 ? ", ..." : "") + "); give a new or empty directory");
        }
      } catch (IOException e) {
        throw new UsageException("cannot read " + dir + ": " + e.getMessage());
      }
    }
  }

  /** The directory's name, made into a valid project name: {@code My_App} becomes {@code my-app}. */
  static String defaultName(Path dir) {
    String raw = dir.getFileName() == null ? "" : dir.getFileName().toString();
    String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
    if (!NAME.matcher(name).matches()) {
      throw new UsageException("cannot make a project name from the directory name '" + raw
          + "'; give one with --name my-app");
    }
    return name;
  }

  private static void checkPackage(String packageName) {
    if (!PACKAGE.matcher(packageName).matches()) {
      throw new UsageException("--package must be a Java package in lowercase, such as com.example.app,"
          + " got '" + packageName + "'");
    }
    for (String part : packageName.split("\\.")) {
      if (SourceVersion.isKeyword(part)) {
        throw new UsageException("--package '" + packageName + "' has the Java keyword '" + part
            + "' as a part; pick another name");
      }
    }
  }

  /** Writes every file of the project; nothing is written when the directory is not empty. */
  static void write(Project project, String durableVersion) {
    Map<String, String> values = Map.of("{{name}}", project.name(), "{{package}}", project.packageName(),
        "{{durableVersion}}", durableVersion);
    try {
      Files.createDirectories(project.dir());
      for (Map.Entry<String, String> f : project.files().entrySet()) {
        String text = DurableCommand.resource("init/" + f.getValue() + ".template");
        for (Map.Entry<String, String> v : values.entrySet()) {
          text = text.replace(v.getKey(), v.getValue());
        }
        Path target = project.dir().resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
