package dev.durable.repl;

/** Small helpers for the words people read. */
final class Text {
  private Text() {}

  /** {@code 1 entry}, {@code 3 entries}. */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** {@code 512 bytes}, {@code 12.0 KiB}, {@code 3.4 MiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return Text.count(n, "byte", "bytes");
    }
    if (n < 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  /** Insertions, deletions and substitutions that turn {@code a} into {@code b}. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * A SQL error's {@code at offset N} as {@code at line L, column C} of the statement (both from
   * 1), which is what a reader can find in a statement of several lines.
   */
  static String lineAndColumn(String message, String statement) {
    java.util.regex.Matcher m = OFFSET.matcher(message);
    if (!m.find()) {
      return message;
    }
    int offset = (int) Math.min(Long.parseLong(m.group(1)), statement.length());
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (statement.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return message.substring(0, m.start()) + " at line " + line + ", column " + (offset - lineStart + 1)
        + message.substring(m.end());
  }

  private static final java.util.regex.Pattern OFFSET = java.util.regex.Pattern.compile(" at offset (\\d+)");
}
