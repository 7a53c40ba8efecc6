package dev.durable.internal.cli;

import static dev.durable.internal.cli.CommandLine.value;

import dev.durable.internal.cli.CommandLine.UsageException;
import dev.durable.internal.config.ConfigException;
import dev.durable.internal.reload.UserClasses;
import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import dev.durable.internal.server.ToolGuard;
import dev.durable.internal.storage.StorageException;
import dev.durable.runtime.DurableRuntime;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** {@code durable dev}: parses its options and runs an {@link Emulator} until Ctrl-C. */
final class DevCommand {
  static final String HELP = """
      Usage: durable dev [options]

      Runs a worker and its Durable Objects on http://127.0.0.1:8787, with the explorer API at
      /cdn-cgi/explorer/api. Classes are reloaded when they change (run 'mvn compile' in
      another terminal); state is kept across restarts.

      Options:
        --config FILE        The project's durable.jsonc (default: ./durable.jsonc).
        --classpath PATHS    The project's compiled classes: directories and jars separated
                             by '%1$s' (default: target/classes beside the config).
        --port N             Port to listen on (default 8787; 0 picks a free one).
        --host HOST          Address to bind (default 127.0.0.1). Binding elsewhere exposes
                             your objects, so it needs --explorer-token too.
        --state DIR          Where state is kept (default: .durable/state beside the config).
        --in-memory          Keep no state: everything is gone when the emulator stops.
        --idle-timeout D     Evict an instance idle this long: 10s, 500ms, 2m; 0 = never
                             (default 10s).
        --log-level LEVEL    error, warn, info (default) or debug.
        --explorer-token T   Require 'Authorization: Bearer T' on every explorer request
                             (also read from DURABLE_EXPLORER_TOKEN).
        --fsync              Make every commit wait for the disk: survives power loss, costs
                             more per write. Without it a write survives a crash of the process.
        --share-files        Let other programs (sqlite3, a second reader) open an object's
                             database while the object runs; slower. Without it an object's
                             file is locked until the object is evicted.
        --delete-state       Let migrations remove the state of deleted_classes (kept otherwise).
        --no-reload          Do not watch the classes for changes.
        --max-body BYTES     Largest request body accepted (default 104857600, 100 MB).
        --sql-time-limit D   Stop an SQL statement that runs longer: 30s (default), 2m;
                             0 = never. Cloudflare bounds an event's CPU time likewise.
        --explorer-ui DIR    Serve another build of an explorer web UI (index.html and its
                             assets, e.g. Cloudflare's Local Explorer from the miniflare npm
                             package's dist/local-explorer-ui) at /cdn-cgi/explorer.
        --websocket-compress-min BYTES
                             Compress WebSocket messages of at least this size when the client
                             offers permessage-deflate (default 1024; 0 = all); 'off' does not
                             negotiate compression.
        --help, -h           Show this text.
      """.formatted(File.pathSeparator);

  private DevCommand() {}

  /** Parsed options, or the reason they are wrong. */
  record Parsed(EmulatorOptions options, String logLevel) {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(HELP);
      return 0;
    }
    // Before anything makes a logger: the log levels are read once, when the first one is made.
    Logging.configure(logLevelGiven(args));
    Parsed parsed;
    try {
      parsed = parse(args, System.getenv("DURABLE_EXPLORER_TOKEN"));
    } catch (UsageException e) {
      err.println("durable dev: " + e.getMessage());
      err.println("Run 'durable dev --help' for the options.");
      return 2;
    }
    DevServer.Options server = parsed.options().server();
    if (portTaken(server.host(), server.port())) {
      err.println(portInUse(server, "Address already in use"));
      return 1;
    }
    StartupWarmUp.start();
    Emulator emulator;
    try {
      emulator = Emulator.start(parsed.options());
    } catch (ConfigException | UserClasses.ClassLoadingException | IllegalArgumentException e) {
      err.println("durable dev: " + e.getMessage());
      return 1;
    } catch (StorageException e) {
      err.println("durable dev: " + e.getMessage() + stateHint(parsed.options().stateDirectory()));
      return 1;
    } catch (RuntimeException e) {
      if (rootCause(e) instanceof BindException bind) {
        boolean inUse = String.valueOf(bind.getMessage()).toLowerCase(Locale.ROOT).contains("in use");
        err.println(inUse ? portInUse(server, bind.getMessage()) : "durable dev: cannot listen on "
            + server.host() + ":" + server.port() + " (" + bind.getMessage() + ");"
            + " --host must be an address of this machine");
        return 1;
      }
      throw e;
    }
    emulator.banner().forEach(out::println);
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("Stopping: finishing requests and committing state...");
      emulator.close();
      stopped.countDown();
    }, "durable-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Why state may not open: the directory is read-only, or a file in it is not what it should be. */
  private static String stateHint(Path state) {
    if (state == null) {
      return "";
    }
    return Files.isDirectory(state) && !Files.isWritable(state)
        ? "; the state directory " + state + " is read-only (choose another with --state, or --in-memory)"
        : "; check that the state directory " + state + " is writable and holds only durable's files";
  }

  private static String portInUse(DevServer.Options server, String reason) {
    return "durable dev: cannot listen on " + server.host() + ":" + server.port() + " (" + reason
        + "); is another emulator running? Use --port to pick another.";
  }

  /**
   * Whether another program listens on the port already. Asked before anything starts, so the
   * user reads our one line, not the server library's error log first (and nothing is migrated
   * or opened for a server that cannot run). Whoever takes the port after this check still gets
   * the same message, from the server's failure.
   */
  private static boolean portTaken(String host, int port) {
    if (port == 0) {
      return false;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return false;
    } catch (BindException e) {
      return true;
    } catch (IOException e) {
      return false; // an unknown host, say: the server reports it when it starts
    }
  }

  /**
   * The address to bind: a name or literal this machine can resolve. Anything but loopback lets
   * other machines reach the explorer, which runs SQL on the developer's data: that needs a token.
   */
  private static String host(String host, String token) {
    try {
      InetAddress.getByName(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw new UsageException("--host '" + host + "' is neither an IP address nor a known host name");
    }
    if (!ToolGuard.isLoopback(host) && token == null) {
      throw new UsageException("--host " + host + " lets other machines reach your worker and the"
          + " explorer; set --explorer-token (or DURABLE_EXPLORER_TOKEN) too");
    }
    return host;
  }

  /** The level {@code --log-level} asks for, if it is a valid one; else the default. */
  private static String logLevelGiven(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--log-level")) {
        try {
          return logLevel(args[i + 1]);
        } catch (UsageException e) {
          break; // reported by parse()
        }
      }
    }
    return "info";
  }

  static Parsed parse(String[] args, String tokenFromEnv) {
    Path config = null;
    String classpath = null;
    Path state = null;
    boolean inMemory = false;
    String host = "127.0.0.1";
    int port = 8787;
    Duration idle = DurableRuntime.DEFAULT_IDLE_TIMEOUT;
    String logLevel = "info";
    String token = tokenFromEnv == null || tokenFromEnv.isBlank() ? null : tokenFromEnv;
    boolean fsync = false;
    boolean shareFiles = false;
    boolean deleteState = false;
    boolean reload = true;
    long maxBody = DevServer.Options.defaults().maxBodyBytes();
    Duration sqlTimeLimit = DurableRuntime.DEFAULT_SQL_TIME_LIMIT;
    Path explorerUi = null;
    int compressMin = DevServer.Options.DEFAULT_COMPRESSION_MIN;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--config" -> config = Path.of(value(args, ++i, a));
        case "--classpath", "-cp" -> classpath = value(args, ++i, a);
        case "--state" -> state = Path.of(value(args, ++i, a));
        case "--in-memory" -> inMemory = true;
        case "--host" -> host = value(args, ++i, a);
        case "--port" -> port = port(value(args, ++i, a));
        case "--idle-timeout" -> idle = duration(value(args, ++i, a), a);
        case "--log-level" -> logLevel = logLevel(value(args, ++i, a));
        case "--explorer-token" -> token = value(args, ++i, a);
        case "--fsync" -> fsync = true;
        case "--share-files" -> shareFiles = true;
        case "--delete-state" -> deleteState = true;
        case "--no-reload" -> reload = false;
        case "--max-body" -> maxBody = positiveLong(value(args, ++i, a), a);
        case "--sql-time-limit" -> sqlTimeLimit = duration(value(args, ++i, a), a);
        case "--explorer-ui" -> explorerUi = explorerUi(value(args, ++i, a));
        case "--websocket-compress-min" -> compressMin = compressMin(value(args, ++i, a), a);
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    host = host(host, token);
    EmulatorOptions project = CommandLine.project(config, classpath, state, inMemory);
    EmulatorOptions options = new EmulatorOptions(project.config(), project.classpath(),
        project.stateDirectory(), new DevServer.Options(host, port, maxBody, token, explorerUi,
            compressMin, DevServer.Options.DEFAULT_HEARTBEAT), idle, fsync, deleteState, reload,
        shareFiles, sqlTimeLimit);
    return new Parsed(options, logLevel);
  }

  private static Path explorerUi(String dir) {
    Path p = Path.of(dir);
    if (!Files.isRegularFile(p.resolve("index.html"))) {
      throw new UsageException("--explorer-ui needs a directory holding an explorer UI's index.html; "
          + p.toAbsolutePath().normalize() + (Files.isDirectory(p) ? " has none" : " is not a directory"));
    }
    return p;
  }

  private static int compressMin(String s, String option) {
    if (s.equals("off")) {
      return DevServer.Options.COMPRESSION_OFF;
    }
    String expected = option + " must be a number of bytes (0 or more) or 'off', got '" + s + "'";
    int n;
    try {
      n = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new UsageException(expected);
    }
    if (n < 0) {
      throw new UsageException(expected);
    }
    return n;
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p < 0 || p > 65535) {
        throw new UsageException("--port must be within 0..65535, got " + s);
      }
      return p;
    } catch (NumberFormatException e) {
      throw new UsageException("--port must be a number, got '" + s + "'");
    }
  }

  private static long positiveLong(String s, String option) {
    try {
      long v = Long.parseLong(s);
      if (v <= 0) {
        throw new UsageException(option + " must be positive, got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number of bytes, got '" + s + "'");
    }
  }

  /** Parses 0, 500ms, 10s, 2m, 1h. */
  static Duration duration(String s, String option) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.endsWith("ms")) {
        return nonNegative(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), s, option);
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return nonNegative(switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      }, s, option);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new UsageException(option + " must be a duration such as 0, 500ms, 10s, 2m or 1h, got '" + s + "'");
    }
  }

  private static Duration nonNegative(Duration d, String s, String option) {
    if (d.isNegative()) {
      throw new UsageException(option + " must not be negative, got " + s);
    }
    return d;
  }

  private static String logLevel(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(l)) {
      throw new UsageException("--log-level must be error, warn, info or debug, got '" + s + "'");
    }
    return l;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
