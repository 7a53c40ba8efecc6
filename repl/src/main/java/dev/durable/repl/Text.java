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
}
