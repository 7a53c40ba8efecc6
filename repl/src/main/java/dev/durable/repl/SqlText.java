package dev.durable.repl;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the REPL knows of SQL text without parsing it: whether a line starts a statement (so it
 * runs as SQL without the {@code sql} command), whether a statement is finished by its closing
 * {@code ;} (outside quotes and comments), and the keywords offered by completion.
 */
final class SqlText {
  /** Words that start a statement when they start a line. */
  static final Set<String> STARTERS = Set.of("select", "insert", "update", "delete", "create",
      "drop", "alter", "with", "replace", "pragma", "explain", "values", "analyze", "reindex");

  /** Keywords offered by completion inside SQL. */
  static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER",
      "HAVING", "LIMIT", "OFFSET", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "CREATE",
      "TABLE", "INDEX", "VIEW", "TRIGGER", "DROP", "ALTER", "ADD", "COLUMN", "RENAME", "TO",
      "PRIMARY", "KEY", "NOT", "NULL", "DEFAULT", "UNIQUE", "CHECK", "REFERENCES", "AND", "OR",
      "IN", "IS", "LIKE", "GLOB", "BETWEEN", "AS", "JOIN", "LEFT", "INNER", "CROSS", "ON", "USING",
      "DISTINCT", "COUNT", "SUM", "MIN", "MAX", "AVG", "ASC", "DESC", "WITH", "RECURSIVE", "UNION",
      "ALL", "EXISTS", "CASE", "WHEN", "THEN", "ELSE", "END", "INTEGER", "TEXT", "REAL", "BLOB",
      "RETURNING", "IF", "STRICT", "WITHOUT", "ROWID", "PRAGMA", "EXPLAIN", "QUERY", "PLAN",
      "REPLACE", "CONFLICT", "IGNORE", "AUTOINCREMENT", "COLLATE", "NOCASE", "VIRTUAL", "FTS5",
      "MATCH");

  private SqlText() {}

  /**
   * Whether a line is SQL by its first word. {@code delete} is also a command (of a key-value
   * entry): it starts SQL only when {@code FROM} follows.
   */
  static boolean startsSql(String line) {
    String[] words = line.strip().split("\\s+", 3);
    String first = firstWord(words[0]);
    if (!STARTERS.contains(first)) {
      return false;
    }
    return !first.equals("delete")
        || words.length > 1 && words[1].toLowerCase(Locale.ROOT).startsWith("from");
  }

  private static String firstWord(String word) {
    int end = 0;
    while (end < word.length() && Character.isLetter(word.charAt(end))) {
      end++;
    }
    return word.substring(0, end).toLowerCase(Locale.ROOT);
  }

  /** Whether the text ends with a {@code ;} that is not inside a quote or a comment. */
  static boolean isComplete(String text) {
    boolean complete = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        int end = text.indexOf(close, i + 1);
        if (end < 0) {
          return false; // an open quote: the statement goes on
        }
        i = end + 1;
        complete = false;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          return false;
        }
        i = end + 2;
      } else {
        if (c == ';') {
          complete = true;
        } else if (!Character.isWhitespace(c)) {
          complete = false;
        }
        i++;
      }
    }
    return complete;
  }
}
