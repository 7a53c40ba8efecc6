package dev.durable.internal.migration;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.durable.internal.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tags of the migrations applied to a state directory, per script, kept in
 * {@code <state>/do/migrations.json} as {@code {"<script>": ["v1", "v2"]}}. The name holds a dot,
 * which no namespace directory ({@code <script>-<Class>}) can, so it never collides with one.
 * Written to a temporary file and moved into place, so it is never half-written.
 */
final class AppliedMigrations {
  static final String FILE_NAME = "migrations.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final String script;
  private final Map<String, List<String>> byScript;

  private AppliedMigrations(Path file, String script, Map<String, List<String>> byScript) {
    this.file = file;
    this.script = script;
    this.byScript = byScript;
  }

  static AppliedMigrations read(Path doDirectory, String script) {
    Path file = doDirectory.resolve(FILE_NAME);
    Map<String, List<String>> byScript = new TreeMap<>();
    if (Files.exists(file)) {
      try {
        byScript.putAll(MAPPER.readValue(file.toFile(), new TypeReference<Map<String, List<String>>>() {}));
      } catch (JacksonException e) {
        throw new ConfigException(file.toString(), null, 0, 0, "the record of applied migrations is"
            + " not valid (" + e.getOriginalMessage() + "); it must look like {\"" + script
            + "\": [\"v1\"]}. Fix it by hand: deleting it makes every migration run again", e);
      } catch (IOException e) {
        throw new ConfigException(file.toString(), null, 0, 0, "could not read the record of"
            + " applied migrations: " + e, e);
      }
    }
    byScript.replaceAll((k, v) -> new ArrayList<>(v));
    return new AppliedMigrations(file, script, byScript);
  }

  boolean contains(String tag) {
    return byScript.getOrDefault(script, List.of()).contains(tag);
  }

  /** Adds a tag and writes the file before returning. */
  void record(String tag) {
    byScript.computeIfAbsent(script, s -> new ArrayList<>()).add(tag);
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      MAPPER.writeValue(temp.toFile(), byScript);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      byScript.get(script).remove(tag);
      String where = Files.isDirectory(file.getParent()) ? ""
          : "its directory " + file.getParent() + " cannot be made: ";
      throw new ConfigException(file.toString(), null, 0, 0, "could not record migration \"" + tag
          + "\" as applied: " + where + e, e);
    }
  }
}
