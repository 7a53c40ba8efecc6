package dev.durable.internal.config;

import dev.durable.internal.config.DurableConfig.Binding;
import dev.durable.internal.config.DurableConfig.ClassRename;
import dev.durable.internal.config.DurableConfig.Migration;
import dev.durable.internal.config.JsonTree.ArrayNode;
import dev.durable.internal.config.JsonTree.Member;
import dev.durable.internal.config.JsonTree.Node;
import dev.durable.internal.config.JsonTree.ObjectNode;
import dev.durable.internal.config.JsonTree.ValueNode;
import dev.durable.internal.cron.CronSchedule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the located JSON tree of a {@code durable.jsonc} into a {@link DurableConfig}. */
final class ConfigReader {
  static final Pattern SCRIPT_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern IDENTIFIER =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*");
  private static final Pattern CLASS_NAME = Pattern.compile(
      IDENTIFIER.pattern() + "(\\." + IDENTIFIER.pattern() + ")*");
  private static final Pattern BINDING_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Set<String> TOP_LEVEL = Set.of("$schema", "compatibility_date", "name",
      "main", "vars", "durable_objects", "migrations", "triggers");

  private final String source;
  private final List<ConfigWarning> warnings = new ArrayList<>();

  private ConfigReader(String source) {
    this.source = source;
  }

  static DurableConfig read(String text, String source) {
    return new ConfigReader(source).read(JsonTree.parse(text, source));
  }

  private DurableConfig read(Node rootNode) {
    ObjectNode root = object(rootNode, "");
    warnUnknown(root, "", TOP_LEVEL);
    Member nameMember = required(root, "", "name");
    String name = string(nameMember.value(), "name");
    if (!SCRIPT_NAME.matcher(name).matches()) {
      throw error(nameMember.value(), "name", "the script name must be letters, digits, '-' or '_'"
          + " (it names the state directories <name>-<Class>), got \"" + name + "\"");
    }
    Optional<Member> mainMember = Optional.ofNullable(root.members().get("main"));
    Optional<String> main = mainMember.map(m -> className(m.value(), "main", "the worker class"));
    Map<String, Object> vars = vars(root.members().get("vars"));
    List<Binding> bindings = bindings(section(root, "durable_objects", Set.of("bindings")));
    List<Migration> migrations = migrations(items(root, "", "migrations"));
    List<CronSchedule> crons = crons(section(root, "triggers", Set.of("crons")));
    checkBoundClassesExist(bindings, migrations);
    if (!crons.isEmpty() && main.isEmpty()) {
      warn(at(root.members().get("triggers").value(), "triggers.crons"),
          "cron triggers run the worker's scheduled handler, but no worker is set ('main'); they will not run");
    }
    return new DurableConfig(source, name, main, mainMember.map(m -> at(m.value(), "main")), vars,
        bindings, migrations, crons, List.copyOf(warnings));
  }

  private Map<String, Object> vars(Member member) {
    if (member == null) {
      return Map.of();
    }
    ObjectNode object = object(member.value(), "vars");
    Map<String, Object> vars = new LinkedHashMap<>();
    for (Member var : object.members().values()) {
      String path = "vars." + var.key();
      if (var.value() instanceof ValueNode v && v.value() == null) {
        throw error(var.value(), path, "a variable cannot be null; remove it or give it a value");
      }
      vars.put(var.key(), plain(var.value()));
    }
    return Collections.unmodifiableMap(vars);
  }

  /** A JSON value as plain Java: String, Number, Boolean, null, List or Map. */
  private static Object plain(Node node) {
    return switch (node) {
      case ValueNode v -> v.value();
      case ArrayNode a -> Collections.unmodifiableList(
          new ArrayList<>(a.items().stream().map(ConfigReader::plain).toList()));
      case ObjectNode o -> {
        Map<String, Object> map = new LinkedHashMap<>();
        o.members().values().forEach(m -> map.put(m.key(), plain(m.value())));
        yield Collections.unmodifiableMap(map);
      }
    };
  }

  private List<Binding> bindings(ObjectNode durableObjects) {
    List<Binding> bindings = new ArrayList<>();
    Map<String, Binding> byName = new HashMap<>();
    Map<String, Binding> byClass = new HashMap<>();
    List<Node> items = items(durableObjects, "durable_objects", "bindings");
    for (int i = 0; i < items.size(); i++) {
      String path = "durable_objects.bindings[" + i + "]";
      ObjectNode b = object(items.get(i), path);
      warnUnknown(b, path, Set.of("name", "class_name"));
      Node nameNode = required(b, path, "name").value();
      String name = string(nameNode, path + ".name");
      if (!BINDING_NAME.matcher(name).matches()) {
        throw error(nameNode, path + ".name", "a binding name must be an identifier (letters, digits,"
            + " '_' or '$', not starting with a digit), such as COUNTER; got \"" + name + "\"");
      }
      Node classNode = required(b, path, "class_name").value();
      String className = className(classNode, path + ".class_name", "the Durable Object class");
      Binding binding = new Binding(name, className, at(classNode, path + ".class_name"));
      Binding sameName = byName.putIfAbsent(name, binding);
      if (sameName != null) {
        throw error(nameNode, path + ".name", "binding name \"" + name + "\" is already used on line "
            + sameName.at().line() + "; each binding needs its own name");
      }
      Binding sameClass = byClass.putIfAbsent(binding.simpleClassName(), binding);
      if (sameClass != null) {
        throw error(classNode, path + ".class_name", "class " + binding.simpleClassName()
            + " is already bound as " + sameClass.name() + " (line " + sameClass.at().line()
            + "); a class may be bound once, since its simple name names its state directory");
      }
      bindings.add(binding);
    }
    return List.copyOf(bindings);
  }

  private List<Migration> migrations(List<Node> items) {
    List<Migration> migrations = new ArrayList<>();
    Map<String, Migration> byTag = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "migrations[" + i + "]";
      ObjectNode m = object(items.get(i), path);
      warnUnknown(m, path, Set.of("tag", "new_sqlite_classes", "new_classes", "renamed_classes",
          "deleted_classes"));
      Node tagNode = required(m, path, "tag").value();
      String tag = string(tagNode, path + ".tag");
      if (tag.isBlank()) {
        throw error(tagNode, path + ".tag", "a migration tag must not be empty");
      }
      List<String> created = new ArrayList<>(simpleNames(m, path, "new_sqlite_classes"));
      if (m.members().containsKey("new_classes")) {
        warn(at(m.members().get("new_classes").value(), path + ".new_classes"), "key-value-backed"
            + " classes are treated as SQLite-backed: durable keeps every object in SQLite");
        created.addAll(simpleNames(m, path, "new_classes"));
      }
      List<ClassRename> renames = renames(m, path);
      Migration migration = new Migration(tag, List.copyOf(created), renames,
          simpleNames(m, path, "deleted_classes"), at(tagNode, path + ".tag"));
      Migration sameTag = byTag.putIfAbsent(tag, migration);
      if (sameTag != null) {
        throw error(tagNode, path + ".tag", "tag \"" + tag + "\" is already used on line "
            + sameTag.at().line() + "; each migration needs its own tag");
      }
      migrations.add(migration);
    }
    return List.copyOf(migrations);
  }

  private List<ClassRename> renames(ObjectNode m, String path) {
    List<ClassRename> renames = new ArrayList<>();
    Set<String> sources = new HashSet<>();
    Set<String> targets = new HashSet<>();
    List<Node> items = items(m, path, "renamed_classes");
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + ".renamed_classes[" + i + "]";
      ObjectNode r = object(items.get(i), itemPath);
      warnUnknown(r, itemPath, Set.of("from", "to"));
      Node fromNode = required(r, itemPath, "from").value();
      String from = simpleName(fromNode, itemPath + ".from");
      Node toNode = required(r, itemPath, "to").value();
      String to = simpleName(toNode, itemPath + ".to");
      if (from.equals(to)) {
        throw error(toNode, itemPath + ".to", "a class cannot be renamed to itself (" + from + ")");
      }
      if (!sources.add(from) || targets.contains(from)) {
        throw error(fromNode, itemPath + ".from", "class " + from + " is already renamed in this"
            + " migration; split chained renames into migrations of their own");
      }
      if (!targets.add(to) || sources.contains(to)) {
        throw error(toNode, itemPath + ".to", "class " + to + " is already renamed in this"
            + " migration; split chained renames into migrations of their own");
      }
      renames.add(new ClassRename(from, to, at(r, itemPath)));
    }
    return List.copyOf(renames);
  }

  private List<String> simpleNames(ObjectNode m, String path, String key) {
    List<String> names = new ArrayList<>();
    List<Node> items = items(m, path, key);
    for (int i = 0; i < items.size(); i++) {
      names.add(simpleName(items.get(i), path + "." + key + "[" + i + "]"));
    }
    return List.copyOf(names);
  }

  private String simpleName(Node node, String path) {
    String name = string(node, path);
    if (!IDENTIFIER.matcher(name).matches()) {
      String hint = CLASS_NAME.matcher(name).matches()
          ? "; write " + name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1) : "";
      throw error(node, path, "migrations name classes by their simple name, as the state"
          + " directory <name>-<Class> does, got \"" + name + "\"" + hint);
    }
    return name;
  }

  private List<CronSchedule> crons(ObjectNode triggers) {
    Map<String, CronSchedule> schedules = new LinkedHashMap<>();
    List<Node> items = items(triggers, "triggers", "crons");
    for (int i = 0; i < items.size(); i++) {
      String path = "triggers.crons[" + i + "]";
      String expression = string(items.get(i), path);
      CronSchedule schedule;
      try {
        schedule = CronSchedule.parse(expression);
      } catch (IllegalArgumentException e) {
        throw error(items.get(i), path, e.getMessage());
      }
      if (schedules.putIfAbsent(expression, schedule) != null) {
        warn(at(items.get(i), path), "cron \"" + expression + "\" is listed twice; it runs once");
      }
    }
    return List.copyOf(schedules.values());
  }

  /**
   * A binding to a class that the migrations deleted or renamed away is an error, as in
   * Cloudflare; a class that a later migration creates again is fine.
   */
  private void checkBoundClassesExist(List<Binding> bindings, List<Migration> migrations) {
    Map<String, String> gone = new HashMap<>();
    for (Migration m : migrations) {
      m.newSqliteClasses().forEach(gone::remove);
      for (ClassRename r : m.renamedClasses()) {
        gone.remove(r.to());
        gone.put(r.from(), "was renamed to " + r.to() + " by migration \"" + m.tag() + "\" (line "
            + r.at().line() + "); bind " + r.to() + " instead");
      }
      for (String deleted : m.deletedClasses()) {
        gone.put(deleted, "was deleted by migration \"" + m.tag() + "\" (line " + m.at().line()
            + "); remove this binding, or create the class again in a later migration's"
            + " new_sqlite_classes");
      }
    }
    for (Binding b : bindings) {
      String why = gone.get(b.simpleClassName());
      if (why != null) {
        throw new ConfigException(source, b.at(), "class " + b.simpleClassName() + " " + why);
      }
    }
  }

  private String className(Node node, String path, String what) {
    String name = string(node, path);
    if (!CLASS_NAME.matcher(name).matches()) {
      throw error(node, path, what + " must be a fully qualified Java class name such as"
          + " com.example.Counter, got \"" + name + "\"");
    }
    return name;
  }

  private ObjectNode object(Node node, String path) {
    if (node instanceof ObjectNode o) {
      return o;
    }
    throw error(node, path, (path.isEmpty() ? "the configuration" : "the value")
        + " must be an object { ... }, got " + node.describe());
  }

  /** The object at a key of the root, its unknown keys warned about; an empty one when absent. */
  private ObjectNode section(ObjectNode root, String key, Set<String> known) {
    Member member = root.members().get(key);
    if (member == null) {
      return new ObjectNode(root.at(), Map.of());
    }
    ObjectNode section = object(member.value(), key);
    warnUnknown(section, key, known);
    return section;
  }

  /** The items of the list at a key of the object at {@code path}; none when the key is absent. */
  private List<Node> items(ObjectNode object, String path, String key) {
    Member member = object.members().get(key);
    if (member == null) {
      return List.of();
    }
    if (member.value() instanceof ArrayNode a) {
      return a.items();
    }
    throw error(member.value(), join(path, key), "the value must be a list [ ... ], got "
        + member.value().describe());
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String string(Node node, String path) {
    if (node instanceof ValueNode v && v.value() instanceof String s) {
      return s;
    }
    throw error(node, path, "the value must be a string, got " + node.describe());
  }

  private Member required(ObjectNode object, String path, String key) {
    Member member = object.members().get(key);
    if (member == null) {
      throw error(object, join(path, key),
          "the required key \"" + key + "\" is missing" + (path.isEmpty() ? "" : " in " + path));
    }
    return member;
  }

  private void warnUnknown(ObjectNode object, String path, Set<String> known) {
    for (Member m : object.members().values()) {
      if (!known.contains(m.key())) {
        warn(new KeyLocation(join(path, m.key()), m.keyAt().line(), m.keyAt().column()),
            "unknown key, ignored");
      }
    }
  }

  private void warn(KeyLocation at, String message) {
    warnings.add(new ConfigWarning(source, at, message));
  }

  private static KeyLocation at(Node node, String path) {
    return new KeyLocation(path, node.at().line(), node.at().column());
  }

  private ConfigException error(Node node, String path, String problem) {
    return new ConfigException(source, at(node, path), problem);
  }
}
