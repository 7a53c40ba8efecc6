package dev.durable.repl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a command answers, in both of its forms: the JSON printed with {@code format json} (one
 * document per line), and the view printed for people.
 *
 * @param json the machine-readable answer, or null when the command prints nothing as JSON
 * @param view what people read
 */
record Output(JsonNode json, View view) {
  /** What people read: lines of text, a table, or several of these. */
  sealed interface View permits Lines, Table, Views {}

  /** Lines of text. */
  record Lines(List<String> lines) implements View {}

  /**
   * An aligned table.
   *
   * @param columns the header
   * @param rows the cells, JSON values as the explorer answered them
   * @param footer a line under the table, e.g. {@code (3 rows)}, or null
   */
  record Table(List<String> columns, List<List<JsonNode>> rows, String footer) implements View {}

  /** Views one after another. */
  record Views(List<View> views) implements View {}

  /** Text for people, and the JSON answer. */
  static Output of(JsonNode json, String... lines) {
    return new Output(json, new Lines(List.of(lines)));
  }
}
