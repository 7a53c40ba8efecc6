package dev.durable.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.durable.internal.cron.CronSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableConfigTest {
  private static final String SOURCE = "durable.jsonc";

  private static DurableConfig parse(String text) {
    return DurableConfig.parse(text, SOURCE);
  }

  private static ConfigException failure(String text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(text));
    assertThat(e).as("expected a ConfigException for:\n" + text).isNotNull();
    return e;
  }

  @Test
  void readsAWranglerStyleFileWithCommentsAndTrailingCommas() {
    DurableConfig config = parse("""
        // durable.jsonc, copied from a wrangler file
        {
          "$schema": "./node_modules/wrangler/config-schema.json",
          "name": "chat-app",
          "main": "com.example.App", /* the worker */
          "compatibility_date": "2026-01-01",
          "vars": {
            "GREETING": "hello",
            "LIMIT": 10,
            "RATIO": 0.5,
            "FLAGS": { "beta": true, "list": [1, "two", null], },
          },
          "durable_objects": {
            "bindings": [
              { "name": "ROOM", "class_name": "com.example.ChatRoom" },
              { "name": "COUNTER", "class_name": "com.example.Outer$Counter", },
            ],
          },
          "migrations": [
            { "tag": "v1", "new_sqlite_classes": ["ChatRoom", "Counter"] },
            { "tag": "v2", "renamed_classes": [{ "from": "Old", "to": "Older" }], "deleted_classes": ["Gone"] },
          ],
          "triggers": { "crons": ["*/5 * * * *", "0 0 * * SUN"], },
        }
        """);

    assertThat(config.warnings()).isEmpty();
    assertThat(config.source()).isEqualTo(SOURCE);
    assertThat(config.name()).isEqualTo("chat-app");
    assertThat(config.main()).contains("com.example.App");
    assertThat(config.mainLocation()).contains(new KeyLocation("main", 5, 11));
    assertThat(config.vars()).containsExactly(
        Map.entry("GREETING", "hello"), Map.entry("LIMIT", 10), Map.entry("RATIO", 0.5),
        Map.entry("FLAGS", Map.of("beta", true, "list", java.util.Arrays.asList(1, "two", null))));
    assertThat(config.bindings()).extracting(DurableConfig.Binding::name, DurableConfig.Binding::className,
            DurableConfig.Binding::simpleClassName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ROOM", "com.example.ChatRoom", "ChatRoom"),
            org.assertj.core.groups.Tuple.tuple("COUNTER", "com.example.Outer$Counter", "Counter"));
    assertThat(config.namespaceId(config.bindings().get(0))).isEqualTo("chat-app-ChatRoom");
    assertThat(config.bindings().get(1).at()).isEqualTo(
        new KeyLocation("durable_objects.bindings[1].class_name", 16, 42));
    DurableConfig.Migration v2 = config.migrations().get(1);
    assertThat(config.migrations().get(0).newSqliteClasses()).containsExactly("ChatRoom", "Counter");
    assertThat(v2.tag()).isEqualTo("v2");
    assertThat(v2.renamedClasses()).extracting(DurableConfig.ClassRename::from, DurableConfig.ClassRename::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Old", "Older"));
    assertThat(v2.deletedClasses()).containsExactly("Gone");
    assertThat(config.crons()).extracting(CronSchedule::expression)
        .containsExactly("*/5 * * * *", "0 0 * * SUN");
  }

  @Test
  void onlyTheNameIsRequired() {
    DurableConfig config = parse("{ \"name\": \"app\" }");
    assertThat(config.main()).isEmpty();
    assertThat(config.vars()).isEmpty();
    assertThat(config.bindings()).isEmpty();
    assertThat(config.migrations()).isEmpty();
    assertThat(config.crons()).isEmpty();
  }

  @Test
  void unknownKeysAreWarningsNamingKeyPathAndLine() {
    DurableConfig config = parse("""
        {
          "name": "app",
          "kv_namespaces": [],
          "durable_objects": {
            "bindings": [
              { "name": "ROOM", "class_name": "a.Room", "script_name": "other" },
            ],
          },
          "migrations": [{ "tag": "v1", "transferred_classes": [] }],
          "triggers": { "cron": ["* * * * *"] },
        }
        """);

    assertThat(config.warnings()).extracting(ConfigWarning::toString).containsExactly(
        "durable.jsonc:3:3: kv_namespaces: unknown key, ignored",
        "durable.jsonc:6:49: durable_objects.bindings[0].script_name: unknown key, ignored",
        "durable.jsonc:9:33: migrations[0].transferred_classes: unknown key, ignored",
        "durable.jsonc:10:17: triggers.cron: unknown key, ignored");
    assertThat(config.bindings()).hasSize(1);
  }

  @Test
  void badJsonNamesTheLineAndColumn() {
    ConfigException e = failure("""
        {
          "name": "app"
          "main": "a.App"
        }
        """);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).startsWith("durable.jsonc:3:3: invalid JSON: Unexpected character ('\"'");
  }

  @Test
  void anUnclosedObjectIsBadJson() {
    ConfigException e = failure("{\n  \"name\": \"app\",\n  \"vars\": {\n");
    assertThat(e.getMessage()).startsWith("durable.jsonc:4:").contains("invalid JSON");
  }

  @Test
  void aWrongTypeNamesTheKeyPathAndLine() {
    ConfigException e = failure("""
        {
          "name": "app",
          "durable_objects": {
            "bindings": "ROOM"
          }
        }
        """);
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:4:17: durable_objects.bindings: the value"
        + " must be a list [ ... ], got the string \"ROOM\"");
    assertThat(e.keyPath()).isEqualTo("durable_objects.bindings");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(17);
  }

  @Test
  void wrongTypesDeeperDownNameTheirIndex() {
    assertThat(failure("""
        { "name": "app",
          "durable_objects": { "bindings": [
            { "name": "A", "class_name": "a.A" },
            { "name": "B", "class_name": 42 } ] } }
        """).getMessage()).isEqualTo("durable.jsonc:4:34: durable_objects.bindings[1].class_name:"
        + " the value must be a string, got the number 42");
    assertThat(failure("{ \"name\": \"app\",\n \"triggers\": { \"crons\": \"* * * * *\" } }").getMessage())
        .isEqualTo("durable.jsonc:2:25: triggers.crons: the value must be a list [ ... ], got the"
            + " string \"* * * * *\"");
    assertThat(failure("{ \"name\": \"app\",\n \"vars\": [1] }").getMessage())
        .isEqualTo("durable.jsonc:2:10: vars: the value must be an object { ... }, got a list");
    assertThat(failure("{ \"name\": \"app\",\n \"migrations\": [{ \"tag\": \"v1\", \"deleted_classes\": \"A\" }] }")
        .getMessage()).isEqualTo("durable.jsonc:2:51: migrations[0].deleted_classes: the value must"
            + " be a list [ ... ], got the string \"A\"");
    assertThat(failure("[ \"name\" ]").getMessage())
        .isEqualTo("durable.jsonc:1:1: the configuration must be an object { ... }, got a list");
  }

  @Test
  void aMissingRequiredKeyNamesTheObjectThatLacksIt() {
    ConfigException e = failure("""
        {
          "name": "app",
          "durable_objects": {
            "bindings": [
              { "name": "ROOM", "class_name": "a.Room" },
              { "name": "COUNTER" },
            ]
          }
        }
        """);
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:6:7: durable_objects.bindings[1].class_name:"
        + " the required key \"class_name\" is missing in durable_objects.bindings[1]");
    assertThat(failure("{\n  \"main\": \"a.App\"\n}").getMessage())
        .isEqualTo("durable.jsonc:1:1: name: the required key \"name\" is missing");
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"new_sqlite_classes\": [] } ] }")
        .getMessage()).contains("migrations[0].tag: the required key \"tag\" is missing");
  }

  @Test
  void aBadScriptNameIsAnError() {
    ConfigException e = failure("{\n  \"name\": \"my app\"\n}");
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:2:11: name: the script name must be letters,"
        + " digits, '-' or '_' (it names the state directories <name>-<Class>), got \"my app\"");
    assertThat(failure("{ \"name\": \"../up\" }").keyPath()).isEqualTo("name");
    assertThat(failure("{ \"name\": \"\" }").keyPath()).isEqualTo("name");
  }

  @Test
  void aDuplicateBindingNameNamesBothLines() {
    ConfigException e = failure("""
        { "name": "app",
          "durable_objects": { "bindings": [
            { "name": "ROOM", "class_name": "a.Room" },
            { "name": "ROOM", "class_name": "a.Lobby" } ] } }
        """);
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:4:15: durable_objects.bindings[1].name:"
        + " binding name \"ROOM\" is already used on line 3; each binding needs its own name");
  }

  @Test
  void aClassBoundTwiceIsAnErrorEvenFromAnotherPackage() {
    ConfigException e = failure("""
        { "name": "app",
          "durable_objects": { "bindings": [
            { "name": "A", "class_name": "a.Room" },
            { "name": "B", "class_name": "b.Room" } ] } }
        """);
    assertThat(e.getMessage()).startsWith("durable.jsonc:4:34: durable_objects.bindings[1].class_name:"
        + " class Room is already bound as A (line 3)");
  }

  @Test
  void bindingNamesAndClassNamesMustBeIdentifiers() {
    assertThat(failure("{ \"name\": \"app\", \"durable_objects\": { \"bindings\": [ { \"name\": \"MY ROOM\","
        + " \"class_name\": \"a.Room\" } ] } }").getMessage())
        .contains("durable_objects.bindings[0].name: a binding name must be an identifier");
    assertThat(failure("{ \"name\": \"app\",\n \"main\": \"src/index.ts\" }").getMessage())
        .isEqualTo("durable.jsonc:2:10: main: the worker class must be a fully qualified Java class"
            + " name such as com.example.Counter, got \"src/index.ts\"");
  }

  @Test
  void aBindingToADeletedClassIsAnError() {
    ConfigException e = failure("""
        { "name": "app",
          "durable_objects": { "bindings": [ { "name": "ROOM", "class_name": "com.example.Room" } ] },
          "migrations": [
            { "tag": "v1", "new_sqlite_classes": ["Room"] },
            { "tag": "v2", "deleted_classes": ["Room"] },
          ] }
        """);
    assertThat(e.getMessage()).startsWith("durable.jsonc:2:70: durable_objects.bindings[0].class_name:"
        + " class Room was deleted by migration \"v2\" (line 5)");
  }

  @Test
  void aBindingToAClassRenamedAwayIsAnError() {
    ConfigException e = failure("""
        { "name": "app",
          "durable_objects": { "bindings": [ { "name": "ROOM", "class_name": "com.example.Room" } ] },
          "migrations": [ { "tag": "v1", "renamed_classes": [ { "from": "Room", "to": "ChatRoom" } ] } ] }
        """);
    assertThat(e.getMessage()).contains("durable_objects.bindings[0].class_name: class Room was"
        + " renamed to ChatRoom by migration \"v1\" (line 3); bind ChatRoom instead");
  }

  @Test
  void aClassDeletedAndCreatedAgainMayBeBound() {
    DurableConfig config = parse("""
        { "name": "app",
          "durable_objects": { "bindings": [ { "name": "ROOM", "class_name": "com.example.Room" } ] },
          "migrations": [
            { "tag": "v1", "deleted_classes": ["Room"] },
            { "tag": "v2", "new_sqlite_classes": ["Room"] } ] }
        """);
    assertThat(config.bindings()).hasSize(1);
  }

  @Test
  void migrationsNameClassesBySimpleName() {
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"tag\": \"v1\","
        + " \"new_sqlite_classes\": [\"com.example.Room\"] } ] }").getMessage())
        .contains("migrations[0].new_sqlite_classes[0]: migrations name classes by their simple"
            + " name, as the state directory <name>-<Class> does, got \"com.example.Room\"; write Room");
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"tag\": \"v1\","
        + " \"new_sqlite_classes\": [\"com.example.App$Room\"] } ] }").getMessage())
        .as("a nested class's directory is named by its own simple name").endsWith("; write Room");
  }

  @Test
  void migrationTagsAreUniqueAndRenamesAreNotChained() {
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"tag\": \"v1\" },\n { \"tag\": \"v1\" } ] }")
        .getMessage()).isEqualTo("durable.jsonc:2:11: migrations[1].tag: tag \"v1\" is already used"
            + " on line 1; each migration needs its own tag");
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"tag\": \"v1\", \"renamed_classes\": ["
        + " { \"from\": \"A\", \"to\": \"B\" }, { \"from\": \"B\", \"to\": \"C\" } ] } ] }").getMessage())
        .contains("migrations[0].renamed_classes[1].from: class B is already renamed in this migration");
    assertThat(failure("{ \"name\": \"app\", \"migrations\": [ { \"tag\": \"v1\", \"renamed_classes\": ["
        + " { \"from\": \"A\", \"to\": \"A\" } ] } ] }").getMessage())
        .contains("migrations[0].renamed_classes[0].to: a class cannot be renamed to itself (A)");
  }

  @Test
  void keyValueBackedNewClassesAreAcceptedWithAWarning() {
    DurableConfig config = parse("{ \"name\": \"app\",\n \"migrations\": [ { \"tag\": \"v1\", \"new_classes\": [\"Room\"] } ] }");
    assertThat(config.migrations().get(0).newSqliteClasses()).containsExactly("Room");
    assertThat(config.warnings()).extracting(ConfigWarning::toString).containsExactly(
        "durable.jsonc:2:48: migrations[0].new_classes: key-value-backed classes are treated as"
            + " SQLite-backed: durable keeps every object in SQLite");
  }

  @Test
  void anInvalidCronNamesTheKeyTheFieldAndTheProblem() {
    ConfigException e = failure("""
        { "name": "app", "main": "a.App",
          "triggers": { "crons": [ "* * * * *", "61 * * * *" ] } }
        """);
    assertThat(e.getMessage()).isEqualTo("durable.jsonc:2:41: triggers.crons[1]: Invalid cron"
        + " expression \"61 * * * *\": minute field '61': 61 is out of range 0-59");
  }

  @Test
  void cronsWithoutAWorkerAndRepeatedCronsAreWarnings() {
    DurableConfig config = parse("{ \"name\": \"app\",\n \"triggers\": { \"crons\": [ \"0 * * * *\", \"0 * * * *\" ] } }");
    assertThat(config.crons()).hasSize(1);
    assertThat(config.warnings()).extracting(ConfigWarning::toString).containsExactly(
        "durable.jsonc:2:40: triggers.crons[1]: cron \"0 * * * *\" is listed twice; it runs once",
        "durable.jsonc:2:14: triggers.crons: cron triggers run the worker's scheduled handler, but"
            + " no worker is set ('main'); they will not run");
  }

  @Test
  void aKeyWrittenTwiceIsAnError() {
    assertThat(failure("{ \"name\": \"app\",\n  \"name\": \"other\" }").getMessage())
        .isEqualTo("durable.jsonc:2:3: key \"name\" is written twice in one object (first on line 1)");
  }

  @Test
  void aNullVariableIsAnError() {
    assertThat(failure("{ \"name\": \"app\", \"vars\": {\n \"TOKEN\": null } }").getMessage())
        .isEqualTo("durable.jsonc:2:11: vars.TOKEN: a variable cannot be null; remove it or give it a value");
  }

  @Test
  void emptyTextAndTextAfterTheObjectAreErrors() {
    assertThat(failure("  // nothing here\n").getMessage()).isEqualTo(
        "durable.jsonc:1:1: the file is empty; it must hold a JSON object");
    assertThat(failure("{ \"name\": \"app\" }\n{ }").getMessage()).isEqualTo(
        "durable.jsonc:2:1: unexpected content after the closing '}' of the configuration");
  }

  @Test
  void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("durable.jsonc");
    Files.writeString(file, "{ \"name\": \"from-file\" }");
    assertThat(DurableConfig.load(file).name()).isEqualTo("from-file");
    assertThat(DurableConfig.load(file).source()).isEqualTo(file.toString());

    Files.writeString(file, "{\n \"name\": 7 }");
    ConfigException bad = catchThrowableOfType(ConfigException.class, () -> DurableConfig.load(file));
    assertThat(bad.getMessage()).isEqualTo(file + ":2:10: name: the value must be a string, got the number 7");

    Path missing = dir.resolve("nope.jsonc");
    assertThat(catchThrowableOfType(ConfigException.class, () -> DurableConfig.load(missing))
        .getMessage()).isEqualTo(missing + ": the configuration file does not exist");

    Files.write(file, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    assertThat(catchThrowableOfType(ConfigException.class, () -> DurableConfig.load(file))
        .getMessage()).isEqualTo(file + ": the file is not valid UTF-8 text");
  }

  @Test
  void varsKeepJsonTypes() {
    DurableConfig config = parse("{ \"name\": \"app\", \"vars\": { \"BIG\": 12345678901, \"ON\": false,"
        + " \"LIST\": [ { \"a\": 1 } ] } }");
    assertThat(config.vars().get("BIG")).isEqualTo(12345678901L);
    assertThat(config.vars().get("ON")).isEqualTo(false);
    assertThat(config.vars().get("LIST")).isEqualTo(List.of(Map.of("a", 1)));
  }
}
