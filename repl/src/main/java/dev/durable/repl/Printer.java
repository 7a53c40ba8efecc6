package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Prints what commands answer: aligned tables and text for people, or one compact JSON document
 * per result for programs; errors as one line. Colour (bold headers, dim NULLs, red errors) only
 * when asked for, which the REPL does only on a terminal.
 */
final class Printer {
  static final int MAX_CELL = 80;
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean colour;

  Printer(PrintWriter out, PrintWriter err, boolean colour) {
    this.out = out;
    this.err = err;
    this.colour = colour;
  }

  /** Prints a result in the session's format. */
  void print(Output output, Session.Format format) {
    if (format == Session.Format.JSON && output.json() != null) {
      out.println(output.json().toString());
    } else {
      print(output.view());
    }
    out.flush();
  }

  /** Prints an error: one line. */
  void error(String message) {
    out.flush();
    err.println(colour ? RED + message + RESET : message);
    err.flush();
  }

  /** Prints text as it arrives (a streamed body), without a line break of its own. */
  void partial(String text) {
    out.print(text);
    out.flush();
  }

  /** Prints a line of information (banners, notes). */
  void info(String line) {
    out.println(line);
    out.flush();
  }

  private void print(Output.View view) {
    switch (view) {
      case Output.Lines lines -> lines.lines().forEach(out::println);
      case Output.Table table -> table(table);
      case Output.Views views -> views.views().forEach(this::print);
    }
  }

  private void table(Output.Table table) {
    int n = table.columns().size();
    List<List<String>> cells = new ArrayList<>();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    boolean[] text = new boolean[n];
    for (int c = 0; c < n; c++) {
      width[c] = length(table.columns().get(c));
    }
    for (List<JsonNode> row : table.rows()) {
      List<String> texts = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        JsonNode v = c < row.size() ? row.get(c) : null;
        String t = cell(v);
        texts.add(t);
        width[c] = Math.max(width[c], length(t));
        numeric[c] |= v != null && v.isNumber();
        text[c] |= v != null && !v.isNull() && !v.isNumber();
      }
      cells.add(texts);
    }
    for (int c = 0; c < n; c++) {
      numeric[c] &= !text[c]; // numbers line up on the right only in a column of numbers
    }
    StringBuilder header = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < n; c++) {
      header.append(c == 0 ? " " : " | ");
      String name = table.columns().get(c);
      header.append(colour ? BOLD + pad(name, width[c], false) + RESET : pad(name, width[c], false));
      rule.append(c == 0 ? "-" : "-+-").append("-".repeat(width[c]));
    }
    out.println(header.toString().stripTrailing()); // the last column needs no padding
    out.println(rule.append('-'));
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < n; c++) {
        line.append(c == 0 ? " " : " | ");
        JsonNode v = c < table.rows().get(r).size() ? table.rows().get(r).get(c) : null;
        String padded = pad(cells.get(r).get(c), width[c], numeric[c]);
        line.append(colour && (v == null || v.isNull()) ? DIM + padded + RESET : padded);
      }
      out.println(line.toString().stripTrailing());
    }
    if (table.footer() != null) {
      out.println(table.footer());
    }
  }

  /** A value as a table shows it: text bare, NULL, blobs by size, long values cut. */
  static String cell(JsonNode v) {
    String t;
    if (v == null || v.isNull() || v.isMissingNode()) {
      t = "NULL";
    } else if (v.isTextual()) {
      t = v.asText().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    } else if (v.isObject() && v.size() == 1 && v.path("$blob").isTextual()) {
      t = "<blob " + Text.bytes(blobSize(v.path("$blob").asText())) + ">";
    } else if (v.isValueNode()) {
      t = v.asText();
    } else {
      t = v.toString();
    }
    return t.codePointCount(0, t.length()) > MAX_CELL
        ? t.substring(0, t.offsetByCodePoints(0, MAX_CELL - 1)) + "…" : t;
  }

  private static long blobSize(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length() * 3L / 4; // not base64 after all: an estimate is enough for a label
    }
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - length(s)));
    return right ? fill + s : s + fill;
  }
}
