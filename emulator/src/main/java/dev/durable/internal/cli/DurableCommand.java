package dev.durable.internal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code durable} command line: {@code durable dev} runs the emulator, {@code durable repl}
 * opens the REPL (when its module is on the classpath).
 */
public final class DurableCommand {
  static final String HELP = """
      durable: Durable Objects for Java developers.

      Usage: durable <command> [options]

      Commands:
        init    Write a new Maven project with a worker, an object and tests (see:
                durable init --help).
        dev     Run the emulator: your worker and Durable Objects over HTTP, state on disk,
                live reload of your compiled classes. In a project made by init it finds
                durable.jsonc and the class path itself.
        repl    Open a shell on a running emulator (see: durable repl --help).
        help    Show this text; 'durable dev --help' shows the options of dev.

      Options:
        --help, -h     Show this text.
        --version      Show the version.
      """;

  private DurableCommand() {}

  /** Entry point. Exit status: 0 on success, 1 when running failed, 2 for bad usage. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "dev" -> DevCommand.run(rest, out, err);
      case "init" -> InitCommand.run(rest, out, err);
      case "repl" -> repl(rest, err);
      case "--version" -> {
        out.println("durable " + version());
        yield 0;
      }
      default -> {
        err.println("durable: unknown command '" + args[0] + "'. Commands: init, dev, repl, help.");
        yield 2;
      }
    };
  }

  private static int repl(String[] args, PrintStream err) {
    try {
      Class<?> repl = Class.forName("dev.durable.repl.ReplCommand");
      Object status = repl.getMethod("run", String[].class).invoke(null, (Object) args);
      return (Integer) status;
    } catch (ClassNotFoundException e) {
      err.println("durable: the REPL is not on the classpath (build the 'repl' module)");
      return 1;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("The REPL failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("The REPL's entry point dev.durable.repl.ReplCommand.run(String[]) is missing", e);
    }
  }

  /** The version of durable's artifacts, as the build wrote it into {@code version.txt}. */
  static String version() {
    return resource("version.txt").strip();
  }

  /** A text resource of this package in durable's jar, such as an init template. */
  static String resource(String name) {
    try (InputStream in = DurableCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from durable's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
