package dev.durable.internal.storage;

import java.util.Comparator;

/**
 * Key order as SQLite's BINARY collation sees UTF-8 text: by code point, which differs from
 * {@link String#compareTo} (UTF-16 units) for characters outside the Basic Multilingual Plane.
 */
public final class KeyOrder {
  static final Comparator<String> ASCENDING = KeyOrder::compare;
  static final Comparator<String> DESCENDING = ASCENDING.reversed();

  private KeyOrder() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The smallest key greater than every key with this prefix, or null when there is none
   * (the prefix is all U+10FFFF).
   */
  public static String prefixUpperBound(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int cp = prefix.codePointBefore(end);
      if (cp != Character.MAX_CODE_POINT) {
        int next = cp + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cp + 1;
        return prefix.substring(0, end - Character.charCount(cp)) + Character.toString(next);
      }
      end -= Character.charCount(cp);
    }
    return null;
  }
}
