package dev.durable.storage.sql;

/** One SQL token: what kind, its text as written, and where it starts. */
record Token(Kind kind, String text, int offset) {
  enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, SEMICOLON, DOT, OTHER }

  /** The name a word or quoted name stands for (quotes removed, doubled quotes undone). */
  String name() {
    if (kind != Kind.QUOTED_NAME) {
      return text;
    }
    char open = text.charAt(0);
    String inner = text.substring(1, text.length() - 1);
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
