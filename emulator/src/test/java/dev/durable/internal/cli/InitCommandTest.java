package dev.durable.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files init writes and what it says to bad input; NewProjectTest builds and runs them. */
class InitCommandTest {
  @TempDir
  Path parent;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int init(String... args) {
    return InitCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesAProjectNamedAfterItsDirectoryWithThePackageFromTheName() throws IOException {
    Path dir = parent.resolve("My_App");

    assertThat(init(dir.toString())).as(err()).isZero();

    assertThat(Files.readString(dir.resolve("pom.xml")))
        .contains("<artifactId>my-app</artifactId>", "<groupId>com.example.myapp</groupId>",
            "<durable.version>" + DurableCommand.version() + "</durable.version>",
            "<artifactId>durable-bom</artifactId>", "<junit.version>", "--enable-native-access=ALL-UNNAMED")
        .doesNotContain("{{");
    assertThat(Files.readString(dir.resolve("durable.jsonc")))
        .contains("\"name\": \"my-app\"", "\"main\": \"com.example.myapp.App\"", "com.example.myapp.Counter");
    assertThat(dir.resolve("src/main/java/com/example/myapp/Counter.java")).exists();
    assertThat(Files.readString(dir.resolve("src/main/java/com/example/myapp/App.java")))
        .startsWith("package com.example.myapp;").contains("my-app: a worker");
    assertThat(dir.resolve("src/test/java/com/example/myapp/CounterTest.java")).exists();
    assertThat(Files.readString(dir.resolve(".gitignore"))).contains("target/", ".durable/");
    assertThat(Files.readString(dir.resolve("README.md"))).contains("mvn durable:dev", "mvn test");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Wrote my-app (package com.example.myapp)");
  }

  @Test
  void nameAndPackageCanBeGiven() throws IOException {
    Path dir = parent.resolve("x");

    assertThat(init(dir.toString(), "--name", "shop", "--package", "org.acme.shop")).as(err()).isZero();

    assertThat(Files.readString(dir.resolve("durable.jsonc"))).contains("\"name\": \"shop\"", "org.acme.shop.App");
    assertThat(dir.resolve("src/main/java/org/acme/shop/App.java")).exists();
  }

  @Test
  void aDirectoryThatIsNotEmptyIsRefusedAndLeftAsItWas() throws IOException {
    Path dir = Files.createDirectories(parent.resolve("app"));
    Files.writeString(dir.resolve("notes.txt"), "mine");

    assertThat(init(dir.toString())).isEqualTo(2);

    assertThat(err()).contains(dir + " is not empty (it holds notes.txt); give a new or empty directory");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(dir.resolve("notes.txt"));
    }
  }

  @Test
  void badNamesPackagesAndOptionsSayWhatIsExpected() {
    assertThat(init(parent.resolve("a").toString(), "--name", "My App")).isEqualTo(2);
    assertThat(err()).contains("--name must be lowercase letters, digits and single dashes", "'My App'");

    assertThat(init(parent.resolve("b").toString(), "--package", "com.example.class")).isEqualTo(2);
    assertThat(err()).contains("has the Java keyword 'class'");

    assertThat(init(parent.resolve("c").toString(), "--package", "Com.Example")).isEqualTo(2);
    assertThat(err()).contains("--package must be a Java package in lowercase");

    assertThat(init("--verbose", parent.resolve("d").toString())).isEqualTo(2);
    assertThat(err()).contains("unknown option '--verbose'");

    assertThat(init()).isEqualTo(2);
    assertThat(err()).contains("which directory? e.g. durable init ../my-app");

    assertThat(init(parent.resolve("123").toString())).isEqualTo(2);
    assertThat(err()).contains("cannot make a project name from the directory name '123'; give one with --name");
    assertThat(parent.resolve("a")).doesNotExist();
  }
}
