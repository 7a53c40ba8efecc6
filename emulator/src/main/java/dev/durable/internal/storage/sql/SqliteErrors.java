package dev.durable.internal.storage.sql;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteException;

/**
 * Turns sqlite-jdbc's exceptions into Cloudflare's message shape,
 * {@code <sqlite message>: SQLITE_<PRIMARY CODE>}, e.g.
 * {@code near "SELEC": syntax error at offset 0: SQLITE_ERROR}.
 */
public final class SqliteErrors {
  private static final Pattern NEAR = Pattern.compile("^near \"(.*)\": syntax error$", Pattern.DOTALL);

  private SqliteErrors() {}

  /** The message of a failed statement. */
  public static String message(SQLException e, String statement) {
    String inner = innerMessage(e);
    Matcher near = NEAR.matcher(inner);
    if (near.matches()) {
      int offset = offsetOf(near.group(1), statement);
      if (offset >= 0) {
        inner = inner + " at offset " + offset;
      }
    }
    return inner + ": " + primaryCode(e);
  }

  /** The primary result code name, e.g. {@code SQLITE_CONSTRAINT} for a primary key failure. */
  public static String primaryCode(SQLException e) {
    if (e instanceof SQLiteException s && s.getResultCode() != null) {
      String name = s.getResultCode().name();
      int cut = name.indexOf('_', "SQLITE_".length());
      return cut < 0 ? name : name.substring(0, cut);
    }
    return "SQLITE_ERROR";
  }

  /**
   * sqlite-jdbc reports {@code [SQLITE_ERROR] SQL error or missing database (no such table: t)}:
   * SQLite's own message is inside the parentheses after the generic description.
   */
  static String innerMessage(SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("[")) {
      int close = m.indexOf("] ");
      int open = close < 0 ? -1 : m.indexOf(" (", close);
      if (open >= 0 && m.endsWith(")")) {
        return m.substring(open + 2, m.length() - 1);
      }
      if (close >= 0) {
        return m.substring(close + 2);
      }
    }
    return m;
  }

  /**
   * Where the token SQLite complains about starts. SQLite knows the exact position but sqlite-jdbc
   * does not expose it; the first token with that text is right for the usual mistakes (a
   * misspelled keyword, a stray symbol) and is only an approximation when the text repeats.
   */
  private static int offsetOf(String tokenText, String statement) {
    for (Token t : Lexer.tokens(statement)) {
      if (t.text().equals(tokenText)) {
        return t.offset();
      }
    }
    return tokenText.isEmpty() ? statement.length() : -1;
  }
}
