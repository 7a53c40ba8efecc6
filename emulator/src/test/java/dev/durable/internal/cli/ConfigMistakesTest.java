package dev.durable.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.durable.crash.CrashProject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable dev} on configuration files with every kind of mistake: each exits with status 1
 * (2 for a bad command line) before serving anything, with one line that names the file, the
 * line and column, the key, and what is wrong; nothing is written to the state directory.
 * Runs the command in-process ({@link DurableCommand#run}, what {@code main} exits with); the
 * crash tests run it as a real process.
 */
class ConfigMistakesTest {
  private static final String BINDING = "\"durable_objects\": { \"bindings\": [ { \"name\": \"COUNTER\","
      + " \"class_name\": \"crashapp.Counter\" } ] }";

  @TempDir
  Path dir;

  private record Mistake(String what, String config, int status, List<String> says) {}

  private static Mistake mistake(String what, String config, String... says) {
    return new Mistake(what, config, 1, List.of(says));
  }

  private static List<Mistake> mistakes() {
    List<Mistake> m = new ArrayList<>();
    m.add(mistake("an empty file", "", "durable.jsonc"));
    m.add(mistake("unterminated JSON", "{ \"name\": \"x\",\n  \"main\": \"crashapp.App\"\n",
        "durable.jsonc:"));
    m.add(mistake("a missing comma", "{ \"name\": \"x\"\n \"main\": \"crashapp.App\" }", "durable.jsonc:2:"));
    m.add(mistake("garbage after the object", "{ \"name\": \"x\" } trailing", "durable.jsonc:1:"));
    m.add(mistake("a list at the top", "[ { \"name\": \"x\" } ]", "durable.jsonc:1:1", "object"));
    m.add(mistake("no name", "{ \"main\": \"crashapp.App\" }", "name"));
    m.add(mistake("a name of the wrong type", "{ \"name\": 42 }", "durable.jsonc:1:11", "name",
        "must be a string", "the number 42"));
    m.add(mistake("a name with a path in it", "{ \"name\": \"../../evil\" }", "name",
        "letters, digits, '-' or '_'", "../../evil"));
    m.add(mistake("main that is no class name", "{ \"name\": \"x\", \"main\": \"crashapp.\" }", "main"));
    m.add(mistake("main that does not exist", "{ \"name\": \"x\", \"main\": \"crashapp.Nope\" }",
        "main", "crashapp.Nope"));
    m.add(mistake("main that is not a Worker", "{ \"name\": \"x\", \"main\": \"crashapp.Counter\", " + BINDING + " }",
        "main", "crashapp.Counter", "Worker"));
    m.add(mistake("bindings that are not a list",
        "{ \"name\": \"x\", \"durable_objects\": { \"bindings\": { \"name\": \"A\" } } }",
        "durable_objects.bindings", "list"));
    m.add(mistake("a binding without a class", "{ \"name\": \"x\",\n \"durable_objects\": { \"bindings\": [\n"
        + "  { \"name\": \"A\" } ] } }", "durable.jsonc:3:", "durable_objects.bindings[0]", "class_name"));
    m.add(mistake("a binding name that is not an identifier", "{ \"name\": \"x\", \"durable_objects\":"
        + " { \"bindings\": [ { \"name\": \"my binding\", \"class_name\": \"crashapp.Counter\" } ] } }",
        "durable_objects.bindings[0].name", "my binding"));
    m.add(mistake("the same binding twice", "{ \"name\": \"x\", \"durable_objects\": { \"bindings\": [\n"
        + " { \"name\": \"A\", \"class_name\": \"crashapp.Counter\" },\n"
        + " { \"name\": \"A\", \"class_name\": \"crashapp.Alarmed\" } ] } }",
        "durable.jsonc:3:", "durable_objects.bindings[1].name", "already used"));
    m.add(mistake("a bound class that does not exist", "{ \"name\": \"x\", \"durable_objects\":"
        + " { \"bindings\": [ { \"name\": \"A\", \"class_name\": \"crashapp.Missing\" } ] } }",
        "durable_objects.bindings[0].class_name", "crashapp.Missing"));
    m.add(mistake("a bound class that is no Durable Object", "{ \"name\": \"x\", \"durable_objects\":"
        + " { \"bindings\": [ { \"name\": \"A\", \"class_name\": \"crashapp.App\" } ] } }",
        "durable_objects.bindings[0].class_name", "crashapp.App", "DurableObject"));
    m.add(mistake("a null variable", "{ \"name\": \"x\", \"vars\": { \"KEY\": null } }", "vars.KEY", "null"));
    m.add(mistake("vars that are a list", "{ \"name\": \"x\", \"vars\": [1] }", "vars"));
    m.add(mistake("a repeated migration tag", "{ \"name\": \"x\", \"migrations\": [\n"
        + " { \"tag\": \"v1\" },\n { \"tag\": \"v1\" } ] }", "durable.jsonc:3:", "migrations[1].tag", "v1"));
    m.add(mistake("a migration naming a class with its package", "{ \"name\": \"x\", \"migrations\": ["
        + " { \"tag\": \"v1\", \"new_sqlite_classes\": [\"crashapp.Counter\"] } ] }",
        "migrations[0].new_sqlite_classes", "simple name"));
    m.add(mistake("a class renamed to itself", "{ \"name\": \"x\", \"migrations\": [ { \"tag\": \"v1\","
        + " \"renamed_classes\": [ { \"from\": \"A\", \"to\": \"A\" } ] } ] }",
        "migrations[0].renamed_classes[0].to", "itself"));
    m.add(mistake("a cron with a minute of 61", "{ \"name\": \"x\", \"main\": \"crashapp.App\","
        + " \"triggers\": { \"crons\": [\"61 * * * *\"] } }", "triggers.crons[0]", "61"));
    m.add(mistake("crons that are a string", "{ \"name\": \"x\", \"triggers\": { \"crons\": \"* * * * *\" } }",
        "triggers.crons", "list"));
    m.add(mistake("nesting a thousand levels deep", "{ \"name\": \"x\", \"vars\": { \"deep\": "
        + "[".repeat(1000) + "]".repeat(1000) + " } }", "durable.jsonc"));
    m.add(mistake("an unterminated comment", "{ \"name\": \"x\" /* never closed", "durable.jsonc:"));
    return m;
  }

  @Test
  void everyKindOfMistakeExitsWith1AndOneLineNamingTheFileTheKeyAndTheProblem() throws IOException {
    Path classes = CrashProject.classes();
    List<String> failures = new ArrayList<>();
    List<Mistake> mistakes = mistakes();
    for (int i = 0; i < mistakes.size(); i++) {
      Mistake m = mistakes.get(i);
      Path project = Files.createDirectories(dir.resolve("project-" + i));
      Path config = project.resolve("durable.jsonc");
      Files.writeString(config, m.config());
      Path state = project.resolve("state");
      Result r = run("dev", "--config", config.toString(), "--classpath", classes.toString(),
          "--state", state.toString(), "--port", "0", "--no-reload");
      String problem = check(m, r, state);
      if (problem != null) {
        failures.add(m.what() + ": " + problem + "\n    stderr: " + r.err().strip());
      }
    }
    assertThat(failures).as("configuration mistakes that were not reported clearly").isEmpty();
  }

  @Test
  void invalidUtf8InTheConfigIsAClearError() throws IOException {
    Path config = dir.resolve("durable.jsonc");
    Files.write(config, new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
    Result r = run("dev", "--config", config.toString(), "--classpath", CrashProject.classes().toString(),
        "--in-memory", "--port", "0", "--no-reload");
    assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err()).contains("durable.jsonc").containsIgnoringCase("UTF-8");
  }

  @Test
  void aConfigThatIsADirectoryOrMissingIsABadCommandLine() throws IOException {
    Result r = run("dev", "--config", Files.createDirectories(dir.resolve("cfg")).toString(),
        "--classpath", CrashProject.classes().toString(), "--in-memory", "--port", "0");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("no configuration at").contains("cfg");
  }

  private static String check(Mistake m, Result r, Path state) throws IOException {
    if (r.status() != m.status()) {
      return "exit status " + r.status() + ", expected " + m.status();
    }
    String err = r.err().strip();
    if (!err.startsWith("durable dev: ") || err.lines().count() != 1) {
      return "expected one line starting 'durable dev: '";
    }
    if (err.contains("Exception") || err.contains("\tat ")) {
      return "the message shows a Java exception instead of the problem";
    }
    for (String s : m.says()) {
      if (!err.contains(s)) {
        return "the message does not say '" + s + "'";
      }
    }
    if (Files.exists(state) && Files.walk(state).anyMatch(Files::isRegularFile)) {
      return "files were written to the state directory before the configuration was checked";
    }
    return null;
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // A mistake that is not caught would start serving and block: fail instead of hanging.
    int status = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> DurableCommand.run(args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
