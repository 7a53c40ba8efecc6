package dev.durable.repl;

import static dev.durable.repl.Slot.Kind.METHOD;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Waking the object on purpose: {@code call} (RPC by method name) and {@code fetch}. */
final class CallCommands {
  private CallCommands() {}

  static List<Command> commands() {
    return List.of(
        new Command("call", "<method> [json args...]", "Call a method of the object (RPC)",
            """
            Calls a public method of the object in use, as a stub would: the object wakes if it
            sleeps, and the call waits its turn at the object's input gate. Arguments are JSON
            values separated by blanks, converted to the method's parameter types; the result
            is shown as JSON. Strings need their quotes.
              call increment 5
              call rename "new name"
              call addAll [1, 2, 3] {"dryRun": true}""",
            List.of(Slot.of(METHOD)), CallCommands::call),
        new Command("fetch", "<METHOD> <path> [body]", "Send a request to the object's fetch()",
            """
            Sends a request to the fetch() handler of the object in use and shows the response:
            status, headers and body. The body is the rest of the line: sent as
            application/json when it is JSON, as text/plain otherwise. A streamed body
            (server-sent events, a producer's chunks) is printed as it arrives.
              fetch GET /
              fetch POST /items {"title": "milk"}""",
            List.of(Slot.words("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
            CallCommands::fetch));
  }

  private static Output call(Session session, Arguments args) {
    String method = args.next("a method name");
    List<JsonNode> values = args.jsonList("argument");
    Target target = session.requireTarget("call");
    ObjectNode body = ExplorerClient.NODES.objectNode().put("method", method);
    ArrayNode list = body.putArray("args");
    values.forEach(list::add);
    JsonNode result = session.client().post(target.path("/rpc"), body).result();
    return Output.of(result, result.toPrettyString());
  }

  private static Output fetch(Session session, Arguments args) {
    String method = args.next("an HTTP method").toUpperCase(Locale.ROOT);
    if (!method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw args.usage("'" + method + "' is not an HTTP method such as GET or POST");
    }
    String path = args.next("a path");
    if (!path.startsWith("/") && !path.contains("://")) {
      path = "/" + path;
    }
    String text = args.rest();
    Target target = session.requireTarget("fetch");
    ObjectNode body = ExplorerClient.NODES.objectNode().put("method", method).put("url", path);
    if (!text.isEmpty()) {
      body.putObject("headers").put("content-type", isJson(text) ? "application/json" : "text/plain;charset=UTF-8");
      body.put("body", text);
    }
    Printer live = session.format() == Session.Format.TABLE ? session.printer() : null;
    if (live != null) {
      body.put("stream", true);
      StreamedFetch streamed = new StreamedFetch(live);
      ExplorerClient.Answer answer = session.client().postStreaming(target.path("/fetch"), body, streamed);
      return answer == null ? streamed.output() : fetchOutput(answer.result());
    }
    return fetchOutput(session.client().post(target.path("/fetch"), body).result());
  }

  private static Output fetchOutput(JsonNode r) {
    List<String> lines = headLines(r);
    JsonNode responseBody = r.path("body");
    if (responseBody.isTextual() && !responseBody.asText().isEmpty()) {
      lines.add("");
      lines.add(responseBody.asText());
    } else if (responseBody.has("$blob")) {
      lines.add("");
      lines.add("(binary body, base64) " + responseBody.path("$blob").asText());
    }
    return new Output(r, new Output.Lines(lines));
  }

  private static List<String> headLines(JsonNode head) {
    List<String> lines = new ArrayList<>();
    lines.add("HTTP " + head.path("status").asInt());
    for (Map.Entry<String, JsonNode> h : head.path("headers").properties()) {
      for (JsonNode v : h.getValue()) {
        lines.add(h.getKey() + ": " + v.asText());
      }
    }
    return lines;
  }

  /** A streamed answer printed as it arrives; what was printed is kept for the JSON result. */
  private static final class StreamedFetch implements ExplorerClient.StreamSink {
    private final Printer printer;
    private final StringBuilder text = new StringBuilder();
    private JsonNode head;

    StreamedFetch(Printer printer) {
      this.printer = printer;
    }

    @Override
    public void head(JsonNode head) {
      this.head = head;
      headLines(head).forEach(line -> printer.partial(line + "\n"));
      printer.partial("\n");
    }

    @Override
    public void text(String part) {
      text.append(part);
      printer.partial(part);
    }

    /** Printed already: only a line break when the body did not end with one. */
    Output output() {
      ObjectNode json = ((ObjectNode) head.deepCopy()).put("body", text.toString());
      boolean open = text.length() > 0 && text.charAt(text.length() - 1) != '\n';
      return new Output(json, new Output.Lines(open ? List.of("") : List.of()));
    }
  }

  private static boolean isJson(String text) {
    try {
      ExplorerClient.JSON.readerFor(JsonNode.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(text);
      return true;
    } catch (IOException e) {
      return false; // sent as text
    }
  }
}
