package dev.durable.repl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text after a command's name, read word by word or as JSON. A word is a run of non-blank
 * characters, {@code 'single quoted'} (taken as it is) or {@code "double quoted"} (with JSON's
 * escapes), so keys and names may hold spaces. Mistakes name the command and its usage.
 */
final class Arguments {
  private final Command command;
  private final String text;
  private int at;

  Arguments(Command command, String text) {
    this.command = command;
    this.text = text;
  }

  /** Whether nothing but blanks is left. */
  boolean isEmpty() {
    skipBlanks();
    return at >= text.length();
  }

  /** The next word; an error naming {@code what} when there is none. */
  String next(String what) {
    if (isEmpty()) {
      throw usage("missing " + what);
    }
    return word();
  }

  /** The next word, or null when there is none. */
  String nextOrNull() {
    return isEmpty() ? null : word();
  }

  /** Everything left, raw, without surrounding blanks (possibly empty). */
  String rest() {
    skipBlanks();
    String r = text.substring(at).strip();
    at = text.length();
    return r;
  }

  /** Checks that nothing is left. */
  void end() {
    if (!isEmpty()) {
      throw usage("unexpected '" + text.substring(at).strip() + "'");
    }
  }

  /** Everything left as exactly one JSON value. */
  JsonNode json(String what) {
    String raw = rest();
    if (raw.isEmpty()) {
      throw usage("missing " + what);
    }
    List<JsonNode> values = jsonValues(raw, what, false);
    if (values.size() != 1) {
      throw usage(what + " must be one JSON value, got " + values.size() + " (" + raw + ")");
    }
    return values.get(0);
  }

  /** Everything left as JSON values separated by blanks (none when nothing is left); errors number them. */
  List<JsonNode> jsonList(String what) {
    return jsonValues(rest(), what, true);
  }

  private List<JsonNode> jsonValues(String raw, String what, boolean numbered) {
    List<JsonNode> values = new ArrayList<>();
    try (JsonParser p = ExplorerClient.JSON.getFactory().createParser(raw)) {
      while (true) {
        long before = p.currentLocation().getCharOffset();
        try {
          JsonNode v = ExplorerClient.JSON.readTree(p);
          if (v == null) {
            return values;
          }
          values.add(v);
        } catch (JsonProcessingException e) {
          throw notJson(raw, numbered ? what + " " + (values.size() + 1) : what, before, e);
        }
      }
    } catch (IOException e) {
      throw usage(what + " could not be read: " + e.getMessage());
    }
  }

  private ReplException notJson(String raw, String label, long offset, JsonProcessingException e) {
    String from = raw.substring((int) Math.min(Math.max(offset, 0), raw.length())).strip();
    String token = from.split("\\s+", 2)[0];
    if (!token.isEmpty() && Character.isLetter(token.codePointAt(0))
        && !token.equals("true") && !token.equals("false") && !token.equals("null")) {
      return usage(label + " '" + token + "' is not JSON; quote a string: \"" + token + "\"");
    }
    JsonLocation loc = e.getLocation();
    return usage(label + " is not valid JSON: " + e.getOriginalMessage()
        + (loc == null ? "" : " (at column " + loc.getColumnNr() + ")"));
  }

  private String word() {
    char c = text.charAt(at);
    if (c == '\'') {
      int close = text.indexOf('\'', at + 1);
      if (close < 0) {
        throw usage("a quote ' is not closed");
      }
      String w = text.substring(at + 1, close);
      at = close + 1;
      return w;
    }
    if (c == '"') {
      int close = at + 1;
      while (close < text.length() && text.charAt(close) != '"') {
        close += text.charAt(close) == '\\' ? 2 : 1;
      }
      if (close >= text.length()) {
        throw usage("a quote \" is not closed");
      }
      String quoted = text.substring(at, close + 1);
      at = close + 1;
      try {
        return ExplorerClient.JSON.readValue(quoted, String.class);
      } catch (JsonProcessingException e) {
        throw usage("bad escape in " + quoted + ": " + e.getOriginalMessage());
      }
    }
    int start = at;
    while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    return text.substring(start, at);
  }

  private void skipBlanks() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  /** A mistake in how the command was written: names it and shows its usage. */
  ReplException usage(String problem) {
    return new ReplException(command.name() + ": " + problem + ". Usage: " + command.usage());
  }
}
