package dev.durable.internal.storage.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string of SQL into statements at semicolons that end a statement: not those inside
 * quotes, comments or the {@code BEGIN ... END} body of a {@code CREATE TRIGGER}.
 */
public final class SqlStatements {
  /** One statement: its text and its offset in the original string. */
  public record Statement(String text, int offset) {
    List<Token> tokens() {
      return Lexer.tokens(text);
    }
  }

  private SqlStatements() {}

  /** The statements of the text, without empty ones (only whitespace or comments). */
  public static List<Statement> split(String sql) {
    List<Statement> out = new ArrayList<>();
    List<Token> tokens = Lexer.tokens(sql);
    int start = -1;
    boolean trigger = false;
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (start < 0) {
        if (t.kind() == Token.Kind.SEMICOLON) {
          continue;
        }
        start = t.offset();
        trigger = isCreateTrigger(tokens, i);
        depth = 0;
      }
      if (trigger && t.kind() == Token.Kind.WORD) {
        if (t.isWord("BEGIN") || (depth > 0 && t.isWord("CASE"))) {
          depth++;
        } else if (t.isWord("END") && depth > 0) {
          depth--;
        }
      }
      if (t.kind() == Token.Kind.SEMICOLON && depth == 0) {
        out.add(new Statement(sql.substring(start, t.offset()), start));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(new Statement(sql.substring(start).stripTrailing(), start));
    }
    return out;
  }

  private static boolean isCreateTrigger(List<Token> tokens, int i) {
    if (!tokens.get(i).isWord("CREATE")) {
      return false;
    }
    int j = i + 1;
    if (j < tokens.size() && (tokens.get(j).isWord("TEMP") || tokens.get(j).isWord("TEMPORARY"))) {
      j++;
    }
    return j < tokens.size() && tokens.get(j).isWord("TRIGGER");
  }
}
