package dev.durable.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.durable.internal.server.DevServer;
import dev.durable.internal.server.Emulator;
import dev.durable.internal.server.EmulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command of samples/README.md, in order, over real HTTP and WebSockets against the
 * emulator serving samples/durable.jsonc from a fresh state directory, and checks what each
 * prints against the {@code #} lines under it (and a {@code websocat} session against the
 * transcript block after it).
 *
 * <p>The emulator listens on a free port instead of 8787; the commands and the configuration's
 * {@code PAYMENT_URL} are read with 8787 replaced by it. Curl's options are the few the README
 * uses: {@code -X}, {@code -d}, {@code -H}. A run the agent's alarm is still working on may not be
 * finished when its GET arrives, so a GET whose output differs is asked again, for a while.
 */
class ReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final String README_HOST = "127.0.0.1:8787";
  private static final Pattern STATUS = Pattern.compile("^\\((\\d{3})\\) ");

  @TempDir
  Path dir;
  private Emulator emulator;
  private String host;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<WebSocket> sockets = new ArrayList<>();

  /** One command of the README and what it should print. */
  record Command(int line, String text, List<String> expected, List<String> transcript) {}

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close(); // closes the sockets with 1001, as Ctrl-C does
    }
    sockets.forEach(WebSocket::abort);
  }

  @Test
  void everyCommandInTheSamplesReadmePrintsWhatTheReadmeSays() throws Exception {
    List<Command> commands = commands(Files.readAllLines(README));
    assertThat(commands).as("commands found in %s", README).isNotEmpty();
    start();
    for (Command c : commands) {
      if (c.text().startsWith("websocat ")) {
        websocat(c);
      } else {
        curl(c);
      }
    }
  }

  @Test
  void theReadmeTriesEveryBindingOfTheSamples() throws IOException {
    String all = String.join("\n", commands(Files.readAllLines(README)).stream().map(Command::text).toList());
    for (String area : List.of("/counter/", "/chat/", "/workspaces/", "/subscriptions/", "/ratelimit/",
        "/locks/", "/agents/", "/agents/counter-agent/")) {
      assertThat(all).as("a command of the README uses %s", area).contains(area);
    }
  }

  private void start() throws IOException {
    // PAYMENT_URL must name the port the emulator listens on, so the port is chosen first; if
    // another process takes it meanwhile, another is tried.
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5 && emulator == null; attempt++) {
      int port = freePort();
      Path config = dir.resolve("durable-" + port + ".jsonc");
      Files.writeString(config, Files.readString(Path.of("durable.jsonc")).replace(README_HOST, "127.0.0.1:" + port));
      try {
        emulator = Emulator.start(EmulatorOptions.forProject(config, List.of(Path.of("target/classes")))
            .withServer(DevServer.Options.defaults().port(port))
            .withStateDirectory(dir.resolve("state-" + port))
            .withLiveReload(false));
        host = "127.0.0.1:" + port;
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    if (emulator == null) {
      throw last;
    }
  }

  private void curl(Command c) throws Exception {
    List<String> args = words(c.text().replace(README_HOST, host));
    String method = null;
    String data = null;
    String url = null;
    List<String> headers = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "-X" -> method = args.get(++i);
        case "-d" -> data = args.get(++i);
        case "-H" -> headers.add(args.get(++i));
        default -> {
          if (args.get(i).startsWith("-") || url != null) {
            fail("README line %d: this test knows curl's -X, -d and -H only, not '%s'", c.line(), args.get(i));
          }
          url = args.get(i);
        }
      }
    }
    method = method != null ? method : data != null ? "POST" : "GET";
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, data == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(data));
    if (data != null) {
      request.header("content-type", "application/x-www-form-urlencoded"); // as curl -d sends
    }
    for (String h : headers) {
      request.header(h.substring(0, h.indexOf(':')).strip(), h.substring(h.indexOf(':') + 1).strip());
    }
    String expected = String.join("\n", c.expected()).replace(README_HOST, host);
    int expectedStatus = 0;
    var status = STATUS.matcher(expected);
    if (status.find()) {
      expectedStatus = Integer.parseInt(status.group(1));
      expected = expected.substring(status.end());
    }
    HttpResponse<String> response = null;
    for (int tries = 0; tries < 50; tries++) {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (!method.equals("GET") || (matches(expected, response.body()) && statusFits(expectedStatus, response))) {
        break;
      }
      Thread.sleep(100); // an agent run still in progress: ask again
    }
    String what = "README line " + c.line() + ": " + c.text() + "\n  printed (" + response.statusCode() + "): "
        + response.body();
    if (expectedStatus != 0) {
      assertThat(response.statusCode()).as(what).isEqualTo(expectedStatus);
    } else {
      assertThat(response.statusCode()).as(what).isBetween(200, 299);
    }
    if (!c.expected().isEmpty()) {
      assertThat(matches(expected, response.body())).as(what + "\n  expected: " + expected).isTrue();
    }
  }

  private void websocat(Command c) throws Exception {
    List<String> args = words(c.text().replace(README_HOST, host));
    assertThat(args).as("README line %d: websocat and a URL", c.line()).hasSize(2);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(args.get(1)), new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          received.add(text.toString());
          text.setLength(0);
        }
        socket.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
    sockets.add(ws); // stays connected for the commands that follow, as the README's reader does
    for (String line : c.transcript()) {
      String frame = line.substring(2);
      if (line.startsWith("> ")) {
        ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
      } else {
        String got = received.poll(10, TimeUnit.SECONDS);
        assertThat(got != null && matches(frame, got))
            .as("README line %d: %s\n  expected the frame %s\n  got %s", c.line(), c.text(), frame, got).isTrue();
      }
    }
  }

  private static boolean statusFits(int expected, HttpResponse<String> response) {
    return expected == 0 ? response.statusCode() / 100 == 2 : response.statusCode() == expected;
  }

  /** Whether text matches the expected output, {@code …} standing for any run of characters. */
  static boolean matches(String expected, String text) {
    StringBuilder regex = new StringBuilder();
    for (String part : expected.split("…", -1)) {
      regex.append(regex.isEmpty() ? "" : ".*?").append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text.strip()).matches();
  }

  /**
   * The commands of the README's {@code sh} blocks, with the {@code #} lines under each, and for
   * a {@code websocat} command the {@code <}/{@code >} lines of the {@code text} block after it.
   */
  static List<Command> commands(List<String> lines) {
    List<Command> commands = new ArrayList<>();
    String fence = null;
    Command open = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        fence = fence == null ? line.substring(3) : null;
        continue;
      }
      if (fence == null) {
        continue;
      }
      if (fence.equals("text") && open != null && open.text().startsWith("websocat ")) {
        if (!line.startsWith("< ") && !line.startsWith("> ")) {
          throw new IllegalStateException("README line " + (i + 1) + ": a transcript line starts with '< ' or '> '");
        }
        open.transcript().add(line);
      } else if (fence.equals("sh")) {
        if (line.startsWith("# ") && open != null) {
          open.expected().add(line.substring(2));
        } else if (line.startsWith("curl ") || line.startsWith("websocat ")) {
          open = new Command(i + 1, line, new ArrayList<>(), new ArrayList<>());
          commands.add(open);
        } else if (!line.startsWith("./durable ") && !line.isBlank()) {
          throw new IllegalStateException("README line " + (i + 1) + ": this test does not know how to run: " + line);
        }
      }
    }
    return commands;
  }

  /** Splits a command line as a shell would, for single and double quotes. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char ch : command.toCharArray()) {
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          word.append(ch);
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
      } else if (Character.isWhitespace(ch)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(ch);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("Unclosed quote in: " + command);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }
}
