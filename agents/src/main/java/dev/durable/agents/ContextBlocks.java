package dev.durable.agents;

import static dev.durable.agents.SessionTables.BLOCKS;
import static dev.durable.agents.SessionTables.SESSIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Context blocks: named, persisted sections of the system prompt, such as the agent's persona or
 * what it has learned about the user. The agent reads and writes them here; the model writes
 * them through {@link #tool()} and {@link #applyTool}. {@link Sessions#context()} holds the
 * blocks every session shares, {@link Sessions#context(String)} those of one session.
 *
 * <pre>{@code
 * ContextBlocks blocks = sessions.context();
 * blocks.define("soul", "Who you are", 2_000, true);
 * blocks.set("soul", "You are a concise travel assistant.");
 * blocks.define("memory", "Facts about the user", 1_000, false);
 * String system = blocks.systemPrompt();
 * }</pre>
 *
 * Blocks keep the order they were first made in, so the prompt a model sees stays the same
 * until a block changes. Every write is one transaction; content over a block's limit, an unknown
 * label or a bad argument is an {@link IllegalArgumentException} and changes nothing.
 */
public final class ContextBlocks {
  /** The character limit of a block made by {@link #set} without {@link #define}. */
  public static final int DEFAULT_MAX_CHARS = 10_000;

  /** The largest limit a block may have. */
  public static final int MAX_CHARS = 500_000;

  /** The name of the model's tool. */
  public static final String TOOL_NAME = "set_context";

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String COLUMNS = "label, description, content, format, max_chars, readonly, updated_at";

  private final SessionTables tables;
  private final String scope;

  ContextBlocks(SessionTables tables, String scope) {
    this.tables = tables;
    this.scope = scope;
  }

  /**
   * Makes a block, or changes the description, limit and read-only flag of one, keeping its
   * content (which must fit the new limit). {@code readonly} refuses only the model's tool.
   */
  public ContextBlock define(String label, String description, int maxChars, boolean readonly) {
    checkLabel(label);
    if (maxChars < 1 || maxChars > MAX_CHARS) {
      throw new IllegalArgumentException("Context block '" + label + "': the limit must be 1 to " + MAX_CHARS
          + " characters, got " + maxChars);
    }
    String about = description == null ? "" : description;
    return tables.write(() -> {
      Optional<ContextBlock> old = find(label);
      old.ifPresent(b -> checkFits(label, b.content(), maxChars));
      String content = old.map(ContextBlock::content).orElse("");
      String format = old.map(b -> b.format().name()).orElse(ContextBlock.Format.TEXT.name());
      return upsert(label, about, content, format, maxChars, readonly);
    });
  }

  /** Replaces a block's content with text, making the block (writable, default limit) if it is new. */
  public ContextBlock set(String label, String text) {
    if (text == null) {
      throw new IllegalArgumentException("Context block '" + label + "': content must not be null");
    }
    return write(label, text, ContextBlock.Format.TEXT);
  }

  /** Replaces a block's content with a value written as JSON (a map, record, list or {@link JsonNode}). */
  public ContextBlock setJson(String label, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("Context block '" + label + "': content must not be null");
    }
    return write(label, AgentJson.write(AgentJson.tree(value)), ContextBlock.Format.JSON);
  }

  /** Adds text to the end of a text block's content. */
  public ContextBlock append(String label, String text) {
    checkLabel(label);
    return tables.write(() -> {
      ContextBlock b = existing(label);
      if (b.format() != ContextBlock.Format.TEXT) {
        throw new IllegalArgumentException("Context block '" + label + "' holds JSON; only text can be appended to");
      }
      String content = b.content() + (text == null ? "" : text);
      checkFits(label, content, b.maxChars());
      return upsert(label, b.description(), content, b.format().name(), b.maxChars(), b.readonly());
    });
  }

  /** The block with this label, if there is one. */
  public Optional<ContextBlock> get(String label) {
    checkLabel(label);
    return tables.read(() -> find(label));
  }

  /** Every block, in the order they were made. */
  public List<ContextBlock> list() {
    return tables.read(() -> tables.sql().exec("SELECT " + COLUMNS + " FROM " + BLOCKS
        + " WHERE scope = ? ORDER BY position", scope).toList().stream().map(ContextBlocks::toBlock).toList());
  }

  /** Removes a block; true when there was one. */
  public boolean delete(String label) {
    checkLabel(label);
    return tables.write(() -> tables.sql().exec("DELETE FROM " + BLOCKS + " WHERE scope = ? AND label = ?",
        scope, label).rowsWritten() > 0);
  }

  /**
   * The blocks rendered as a system prompt, in the order they were made: a heading per block
   * with its label, description and use of its limit (or {@code [readonly]}), then its content
   * (JSON indented). Empty when there are no blocks.
   */
  public String systemPrompt() {
    StringBuilder prompt = new StringBuilder();
    for (ContextBlock b : list()) {
      prompt.append(prompt.isEmpty() ? "" : "\n").append("## ").append(b.label());
      if (!b.description().isEmpty()) {
        prompt.append(": ").append(b.description());
      }
      prompt.append(b.readonly() ? " [readonly]" : " [" + b.chars() + "/" + b.maxChars() + " characters]").append('\n');
      String body = b.format() == ContextBlock.Format.JSON ? AgentJson.pretty(b.json()) : b.content();
      prompt.append(body.isEmpty() ? "(empty)" : body).append('\n');
    }
    return prompt.toString();
  }

  /** The model's tool for writing the blocks that are not read-only, described for a model API. */
  public ContextTool tool() {
    List<ContextBlock> writable = list().stream().filter(b -> !b.readonly()).toList();
    StringBuilder about = new StringBuilder("Replace or append to a section of your system prompt, to remember"
        + " what matters later. Sections you may write:");
    ArrayNode labels = AgentJson.MAPPER.createArrayNode();
    for (ContextBlock b : writable) {
      labels.add(b.label());
      about.append("\n- ").append(b.label()).append(b.description().isEmpty() ? "" : " (" + b.description() + ")")
          .append(b.format() == ContextBlock.Format.JSON ? ", JSON" : "").append(": ").append(b.chars()).append(" of ")
          .append(b.maxChars()).append(" characters used");
    }
    if (writable.isEmpty()) {
      about.append(" none.");
    }
    ObjectNode properties = AgentJson.object();
    properties.set("label", AgentJson.object().put("type", "string").put("description", "The section to write")
        .set("enum", labels));
    properties.set("content", AgentJson.object().put("type", "string")
        .put("description", "The new content, or the text to append; JSON text for a JSON section"));
    properties.set("action", AgentJson.object().put("type", "string")
        .put("description", "replace (the default) or append (text sections only)")
        .set("enum", AgentJson.MAPPER.createArrayNode().add("replace").add("append")));
    ObjectNode schema = AgentJson.object().put("type", "object");
    schema.set("properties", properties);
    schema.set("required", AgentJson.MAPPER.createArrayNode().add("label").add("content"));
    return new ContextTool(TOOL_NAME, about.toString(), schema);
  }

  /**
   * Runs a call of {@link #tool()} with the arguments the model gave, and returns what to tell
   * it, such as {@code Written to memory: 120 of 1000 characters used.} A refused call is an
   * {@link IllegalArgumentException} whose message is meant for the model.
   */
  public String applyTool(JsonNode arguments) {
    if (arguments == null || !arguments.isObject() || !arguments.path("label").isTextual()
        || !arguments.path("content").isTextual()) {
      throw new IllegalArgumentException(TOOL_NAME + " needs an object with string fields label and content, got "
          + arguments);
    }
    String label = arguments.get("label").asText();
    String content = arguments.get("content").asText();
    String action = arguments.path("action").asText("replace");
    ContextBlock target = get(label).orElseThrow(() -> new IllegalArgumentException("There is no section '"
        + label + "'; sections you may write: " + writableLabels()));
    if (target.readonly()) {
      throw new IllegalArgumentException("Section '" + label + "' is read-only; sections you may write: "
          + writableLabels());
    }
    ContextBlock written = switch (action) {
      case "replace" -> target.format() == ContextBlock.Format.JSON ? setJson(label, parseForModel(label, content))
          : set(label, content);
      case "append" -> append(label, content);
      default -> throw new IllegalArgumentException("action must be replace or append, got '" + action + "'");
    };
    return "Written to " + label + ": " + written.chars() + " of " + written.maxChars() + " characters used.";
  }

  private String writableLabels() {
    List<String> labels = list().stream().filter(b -> !b.readonly()).map(ContextBlock::label).toList();
    return labels.isEmpty() ? "none" : String.join(", ", labels);
  }

  private static JsonNode parseForModel(String label, String content) {
    JsonNode parsed = AgentJson.parseOrNull(content);
    if (parsed == null) {
      throw new IllegalArgumentException("Section '" + label + "' holds JSON, and the content is not valid JSON");
    }
    return parsed;
  }

  private ContextBlock write(String label, String content, ContextBlock.Format format) {
    checkLabel(label);
    return tables.write(() -> {
      Optional<ContextBlock> old = find(label);
      int max = old.map(ContextBlock::maxChars).orElse(DEFAULT_MAX_CHARS);
      checkFits(label, content, max);
      return upsert(label, old.map(ContextBlock::description).orElse(""), content, format.name(), max,
          old.map(ContextBlock::readonly).orElse(false));
    });
  }

  private ContextBlock upsert(String label, String description, String content, String format, int maxChars,
      boolean readonly) {
    checkScope();
    return toBlock(tables.sql().exec("INSERT INTO " + BLOCKS + " (scope, label, position, description, content,"
        + " format, max_chars, readonly, updated_at) VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM "
        + BLOCKS + " WHERE scope = ?), ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, label) DO UPDATE SET"
        + " description = excluded.description, content = excluded.content, format = excluded.format,"
        + " max_chars = excluded.max_chars, readonly = excluded.readonly, updated_at = excluded.updated_at"
        + " RETURNING " + COLUMNS, scope, label, scope, description, content, format, maxChars, readonly,
        tables.nowMillis()).one());
  }

  /** A session's blocks may only be written while the session exists. */
  private void checkScope() {
    if (!scope.isEmpty()
        && tables.sql().exec("SELECT 1 FROM " + SESSIONS + " WHERE id = ?", scope).toList().isEmpty()) {
      throw new IllegalArgumentException("Unknown session '" + scope + "': its context blocks cannot be written");
    }
  }

  private Optional<ContextBlock> find(String label) {
    return tables.sql().exec("SELECT " + COLUMNS + " FROM " + BLOCKS + " WHERE scope = ? AND label = ?", scope, label)
        .toList().stream().findFirst().map(ContextBlocks::toBlock);
  }

  private ContextBlock existing(String label) {
    return find(label).orElseThrow(() -> new IllegalArgumentException("Unknown context block '" + label + "'"));
  }

  private static void checkLabel(String label) {
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException("A context block's label must be 1 to 64 letters, digits, '_' or '-'; got "
          + (label == null ? "null" : "'" + label + "'"));
    }
  }

  private static void checkFits(String label, String content, int maxChars) {
    int chars = content.codePointCount(0, content.length());
    if (chars > maxChars) {
      throw new IllegalArgumentException("Context block '" + label + "' holds at most " + maxChars
          + " characters; the content has " + chars);
    }
  }

  private static ContextBlock toBlock(Map<String, Object> r) {
    return new ContextBlock((String) r.get("label"), (String) r.get("description"), (String) r.get("content"),
        ContextBlock.Format.valueOf((String) r.get("format")), ((Long) r.get("max_chars")).intValue(),
        (Long) r.get("readonly") != 0, SessionTables.instant(r.get("updated_at")));
  }
}
