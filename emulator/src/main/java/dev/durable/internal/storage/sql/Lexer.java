package dev.durable.internal.storage.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL into tokens the way SQLite reads them, enough to find statement boundaries and the
 * names a statement uses. Whitespace and comments are dropped; an unterminated quote or comment
 * runs to the end of the text (SQLite then reports the error itself).
 */
final class Lexer {
  private final String sql;
  private int pos;

  private Lexer(String sql) {
    this.sql = sql;
  }

  static List<Token> tokens(String sql) {
    Lexer lexer = new Lexer(sql);
    List<Token> out = new ArrayList<>();
    for (Token t = lexer.next(); t != null; t = lexer.next()) {
      out.add(t);
    }
    return out;
  }

  private Token next() {
    skipSpaceAndComments();
    if (pos >= sql.length()) {
      return null;
    }
    int start = pos;
    char c = sql.charAt(pos);
    return switch (c) {
      case '\'' -> quoted(start, '\'', Token.Kind.STRING);
      case '"', '`' -> quoted(start, c, Token.Kind.QUOTED_NAME);
      case '[' -> {
        int close = sql.indexOf(']', pos + 1);
        pos = close < 0 ? sql.length() : close + 1;
        yield new Token(Token.Kind.QUOTED_NAME, sql.substring(start, pos), start);
      }
      case ';' -> single(start, Token.Kind.SEMICOLON);
      case '.' -> pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1))
          ? number(start) : single(start, Token.Kind.DOT);
      case '?', ':', '@', '$' -> {
        pos++;
        yield word(start, Token.Kind.PARAMETER);
      }
      default -> {
        if (Character.isDigit(c)) {
          yield number(start);
        }
        yield isWordChar(c) ? word(start, Token.Kind.WORD) : single(start, Token.Kind.OTHER);
      }
    };
  }

  private Token single(int start, Token.Kind kind) {
    pos++;
    return new Token(kind, sql.substring(start, pos), start);
  }

  private Token word(int start, Token.Kind kind) {
    while (pos < sql.length() && isWordChar(sql.charAt(pos))) {
      pos++;
    }
    return new Token(kind, sql.substring(start, pos), start);
  }

  private Token quoted(int start, char quote, Token.Kind kind) {
    pos++;
    while (pos < sql.length()) {
      if (sql.charAt(pos) == quote) {
        if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
          pos += 2;
          continue;
        }
        pos++;
        return new Token(kind, sql.substring(start, pos), start);
      }
      pos++;
    }
    return new Token(kind, sql.substring(start), start);
  }

  private Token number(int start) {
    while (pos < sql.length() && (isWordChar(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
      pos++;
    }
    return new Token(Token.Kind.NUMBER, sql.substring(start, pos), start);
  }

  private void skipSpaceAndComments() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (sql.startsWith("--", pos)) {
        int nl = sql.indexOf('\n', pos);
        pos = nl < 0 ? sql.length() : nl + 1;
      } else if (sql.startsWith("/*", pos)) {
        int close = sql.indexOf("*/", pos + 2);
        pos = close < 0 ? sql.length() : close + 2;
      } else {
        return;
      }
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
  }
}
