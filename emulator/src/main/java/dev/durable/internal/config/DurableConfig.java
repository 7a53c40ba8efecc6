package dev.durable.internal.config;

import dev.durable.internal.cron.CronSchedule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's {@code durable.jsonc}: wrangler-shaped JSON with comments and trailing commas.
 *
 * <pre>{@code
 * {
 *   "name": "chat",                                  // the script: state lives in do/chat-<Class>
 *   "main": "com.example.App",                       // the worker class (optional)
 *   "vars": { "GREETING": "hello" },
 *   "durable_objects": {
 *     "bindings": [ { "name": "ROOM", "class_name": "com.example.ChatRoom" } ]
 *   },
 *   "migrations": [
 *     { "tag": "v1", "new_sqlite_classes": ["ChatRoom"] },
 *   ],
 *   "triggers": { "crons": ["0 * * * *"] }
 * }
 * }</pre>
 *
 * <p>Reading checks types and names; {@link #resolveClasses} then loads the classes, and
 * {@link #migrate} applies the migrations to a state directory before the runtime starts:
 *
 * <pre>{@code
 * DurableConfig config = DurableConfig.load(Path.of("durable.jsonc"));
 * config.warnings().forEach(w -> log.warn(w.toString()));
 * StateMigration.migrate(config, stateDir, DeletedClassState.KEEP).warnings().forEach(log::warn);
 * DurableRuntime runtime = config.resolveClasses(classLoader)
 *     .applyTo(DurableRuntime.builder().stateDirectory(stateDir))
 *     .build();
 * }</pre>
 *
 * <p>Unknown keys are not errors but {@linkplain #warnings() warnings}; {@code $schema} and
 * {@code compatibility_date} are accepted silently, so a wrangler file can be copied over.
 * A binding whose class no migration declares is fine (as in Miniflare): its namespace simply
 * starts empty. A binding to a class that a migration deleted or renamed away is an error.
 *
 * @param source the file (or other source name) this configuration was read from
 * @param name the script name ({@code name}); namespace ids are {@code <name>-<SimpleClassName>}
 * @param main the worker class name ({@code main}), if set
 * @param mainLocation where {@code main} was written, if set
 * @param vars the variables ({@code vars}) as plain JSON values: String, Number, Boolean, List, Map
 * @param bindings the Durable Object bindings, in the order written
 * @param migrations the migrations, in the order written
 * @param crons the cron triggers ({@code triggers.crons}), each listed once
 * @param warnings things ignored or suspicious, such as unknown keys; each names its key path and
 *     line
 */
public record DurableConfig(String source, String name, Optional<String> main,
    Optional<KeyLocation> mainLocation, Map<String, Object> vars, List<Binding> bindings,
    List<Migration> migrations, List<CronSchedule> crons, List<ConfigWarning> warnings) {
  /**
   * A Durable Object binding: {@code env.durableObject(name)} reaches objects of the class.
   *
   * @param name the binding name, such as {@code COUNTER}
   * @param className the fully qualified Java class name
   * @param at where {@code class_name} was written
   */
  public record Binding(String name, String className, KeyLocation at) {
    /** The class's simple name, which names its state directory ({@code <script>-<Simple>}). */
    public String simpleClassName() {
      return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }
  }

  /**
   * One entry of {@code migrations}, applied once per state directory, in order. Class names
   * are simple names, as the state directories use.
   *
   * @param tag the migration's unique tag
   * @param newSqliteClasses classes created by it (also those listed as {@code new_classes})
   * @param renamedClasses classes whose state moves to a new class name
   * @param deletedClasses classes whose state is deleted (see {@code StateMigration.migrate})
   * @param at where the tag was written
   */
  public record Migration(String tag, List<String> newSqliteClasses,
      List<ClassRename> renamedClasses, List<String> deletedClasses, KeyLocation at) {}

  /**
   * A renamed class: the state of {@code from} becomes the state of {@code to}.
   *
   * @param from the old simple class name
   * @param to the new simple class name
   * @param at where the rename was written
   */
  public record ClassRename(String from, String to, KeyLocation at) {}

  /**
   * Reads a configuration file (UTF-8).
   *
   * @throws ConfigException when the file cannot be read or is not a valid configuration; the
   *     message names the file, key path and line
   */
  public static DurableConfig load(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(
          ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), null, 0, 0, "the configuration file does not exist");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), null, 0, 0, "the file is not valid UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, 0, 0, "could not read the file: " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads a configuration from text.
   *
   * @param sourceName how messages name the text, usually its file name
   * @throws ConfigException when the text is not a valid configuration
   */
  public static DurableConfig parse(String text, String sourceName) {
    return ConfigReader.read(text, sourceName);
  }

  /** The namespace id of a binding: {@code <name>-<SimpleClassName>}. */
  public String namespaceId(Binding binding) {
    return name + "-" + binding.simpleClassName();
  }

  /**
   * Loads the worker and the Durable Object classes.
   *
   * @throws ConfigException naming the key and line of a class that is missing, is not a
   *     {@code DurableObject} (or not a {@code Worker}), or lacks the constructor it needs
   */
  public ResolvedConfig resolveClasses(ClassLoader loader) {
    return ResolvedConfig.resolve(this, loader);
  }
}
