package dev.durable.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small user project the crash tests run under {@code durable dev} in a child process: its
 * {@code durable.jsonc} and classes compiled by the test, as a user's {@code mvn compile} would.
 *
 * <p>Routes of its worker:
 * <ul>
 *   <li>{@code POST /counter/{name}} adds one to a counter kept twice, in key-value storage and as
 *       a row of a SQL table, in the same event; answers the new value.
 *   <li>{@code GET /counter/{name}} answers {@code <value> <rows>}: both must always agree.
 *   <li>{@code POST /touch/{name}} adds one to a count in key-value storage only (a new object's
 *       first write makes its file without SQLite); {@code GET} answers the count. With
 *       {@code ?facet=F} the request goes to the object's facet {@code F}, an {@code Alarmed}.
 *   <li>{@code POST /alarm/{name}?in=MS&mode=ok|hang} sets the object's alarm MS from now. The
 *       handler prints {@code ALARM-START <name> retry=<n>} on stdout; in mode {@code hang} its
 *       first attempt then blocks (so a test can kill the process mid-handler), otherwise it
 *       records the delivery in a table and prints {@code ALARM-DONE <name> retry=<n>}.
 *   <li>{@code GET /alarm/{name}} answers one line per recorded delivery:
 *       {@code retry=<n> isRetry=<b> scheduled=<epoch ms>}.
 * </ul>
 */
public final class CrashProject {
  static final String CONFIG = """
      // The crash tests' project.
      {
        "name": "crash",
        "main": "crashapp.App",
        "durable_objects": {
          "bindings": [
            { "name": "COUNTER", "class_name": "crashapp.Counter" },
            { "name": "ALARMED", "class_name": "crashapp.Alarmed" },
            { "name": "TOUCHED", "class_name": "crashapp.Touched" },
          ],
        },
        "migrations": [ { "tag": "v1", "new_sqlite_classes": ["Counter", "Alarmed", "Touched"] } ],
      }
      """;

  private static final Map<String, String> SOURCES = Map.of(
      "App", """
          package crashapp;
          import dev.durable.*;
          public class App implements Worker {
            public Response fetch(Request r, Env env, ExecutionContext ctx) {
              String[] parts = r.path().split("/", 3);
              if (parts.length < 3 || parts[2].isEmpty()) {
                return Response.status(404, "no route " + r.path());
              }
              return switch (parts[1]) {
                case "counter" -> env.durableObject("COUNTER").getByName(parts[2]).fetch(r);
                case "alarm" -> env.durableObject("ALARMED").getByName(parts[2]).fetch(r);
                case "touch" -> env.durableObject("TOUCHED").getByName(parts[2]).fetch(r);
                default -> Response.status(404, "no route " + r.path());
              };
            }
          }
          """,
      "Counter", """
          package crashapp;
          import dev.durable.*;
          public class Counter extends DurableObject {
            public Counter(DurableObjectState ctx, Env env) {
              super(ctx, env);
              ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS hits (seq INTEGER PRIMARY KEY)");
            }
            public Response fetch(Request r) {
              long n = ctx.storage().get("n", Long.class).orElse(0L);
              if (r.method().equals("POST")) {
                n++;
                ctx.storage().put("n", n);
                ctx.storage().sql().exec("INSERT INTO hits (seq) VALUES (?)", n);
                return Response.text(Long.toString(n));
              }
              long rows = ((Number) ctx.storage().sql().exec("SELECT count(*) AS c FROM hits")
                  .one().get("c")).longValue();
              return Response.text(n + " " + rows);
            }
          }
          """,
      "Touched", """
          package crashapp;
          import dev.durable.*;
          // Key-value storage only: a new object's first POST writes its file without SQLite.
          public class Touched extends DurableObject {
            public Touched(DurableObjectState ctx, Env env) {
              super(ctx, env);
            }
            public Response fetch(Request r) {
              if (r.query("facet") != null) {
                return ctx.facets().get(r.query("facet"), Alarmed.class).fetch(r);
              }
              long n = ctx.storage().get("n", Long.class).orElse(0L);
              if (r.method().equals("POST")) {
                ctx.storage().put("n", ++n);
              }
              return Response.text(Long.toString(n));
            }
          }
          """,
      "Alarmed", """
          package crashapp;
          import dev.durable.*;
          import java.time.Duration;
          import java.util.ArrayList;
          import java.util.List;
          import java.util.Map;
          public class Alarmed extends DurableObject {
            public Alarmed(DurableObjectState ctx, Env env) {
              super(ctx, env);
              ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS fired"
                  + " (retry INTEGER, is_retry INTEGER, scheduled INTEGER)");
            }
            public Response fetch(Request r) {
              if (r.method().equals("POST")) {
                ctx.storage().put("mode", r.query("mode") == null ? "ok" : r.query("mode"));
                ctx.storage().setAlarm(ctx.now().plusMillis(Long.parseLong(r.query("in"))));
                return Response.text("set");
              }
              List<String> lines = new ArrayList<>();
              for (Map<String, Object> row : ctx.storage().sql()
                  .exec("SELECT retry, is_retry, scheduled FROM fired ORDER BY rowid")) {
                lines.add("retry=" + row.get("retry") + " isRetry=" + (((Number) row.get("is_retry")).intValue() == 1)
                    + " scheduled=" + row.get("scheduled"));
              }
              return Response.text(String.join("\\n", lines));
            }
            public void alarm(AlarmInfo info) {
              String name = ctx.id().name().orElseThrow();
              System.out.println("ALARM-START " + name + " retry=" + info.retryCount());
              System.out.flush();
              if (ctx.storage().get("mode", String.class).orElse("ok").equals("hang")
                  && info.retryCount() == 0) {
                try {
                  Thread.sleep(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              ctx.storage().sql().exec("INSERT INTO fired (retry, is_retry, scheduled) VALUES (?, ?, ?)",
                  info.retryCount(), info.isRetry() ? 1 : 0, info.scheduledTime().toEpochMilli());
              System.out.println("ALARM-DONE " + name + " retry=" + info.retryCount());
              System.out.flush();
            }
          }
          """);

  private static Path compiled;

  private CrashProject() {}

  /**
   * The compiled classes (once per test JVM) in a directory under {@code java.io.tmpdir}, and a
   * fresh config in {@code projectDir}; returns the config file.
   */
  public static synchronized Path writeTo(Path projectDir) throws IOException {
    if (compiled == null) {
      compiled = compile();
    }
    Files.createDirectories(projectDir);
    Path config = projectDir.resolve("durable.jsonc");
    Files.writeString(config, CONFIG);
    return config;
  }

  /** The directory of compiled classes ({@code --classpath}). */
  public static synchronized Path classes() throws IOException {
    if (compiled == null) {
      compiled = compile();
    }
    return compiled;
  }

  private static Path compile() throws IOException {
    Path root = Files.createTempDirectory("durable-crash-project");
    Path src = root.resolve("src/crashapp");
    Path classes = root.resolve("classes");
    Files.createDirectories(src);
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), "-proc:none"));
    for (Map.Entry<String, String> e : SOURCES.entrySet()) {
      Path file = src.resolve(e.getKey() + ".java");
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("The crash tests compile a project and need a JDK, not a JRE");
    }
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("javac failed on the crash project (status " + status + ")");
    }
    return classes;
  }
}
