package dev.durable.internal.storage.sql;

/** One SQL token: what kind, its text as written, and where it starts. */
record Token(Kind kind, String text, int offset) {
  enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, SEMICOLON, DOT, OTHER }

  /** The name a word or quoted name stands for (quotes removed, doubled quotes undone). */
  String name() {
    if (kind != Kind.QUOTED_NAME) {
      return text;
    }
    char open = text.charAt(0);
    char close = open == '[' ? ']' : open;
    // An unterminated quote runs to the end of the text: there is no closing character to drop.
    boolean closed = text.length() >= 2 && text.charAt(text.length() - 1) == close;
    String inner = text.substring(1, closed ? text.length() - 1 : text.length());
    return switch (open) {
      case '"' -> inner.replace("\"\"", "\"");
      case '`' -> inner.replace("``", "`");
      default -> inner;
    };
  }

  boolean isWord(String word) {
    return kind == Kind.WORD && text.equalsIgnoreCase(word);
  }
}
