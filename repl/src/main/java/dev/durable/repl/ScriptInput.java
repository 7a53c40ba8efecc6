package dev.durable.repl;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Entries read from a script: a file or piped standard input. Blank lines and lines whose first
 * non-blank character is {@code #} are skipped; a line that starts SQL goes on over the next
 * lines until one ends with {@code ;}.
 */
final class ScriptInput implements Input {
  private final BufferedReader reader;
  private final String source;
  private int lineNumber;

  /**
   * @param reader the script's text
   * @param source its name in error messages, e.g. {@code setup.durable} or {@code stdin}
   */
  ScriptInput(BufferedReader reader, String source) {
    this.reader = reader;
    this.source = source;
  }

  @Override
  public Entry next(Session session) {
    String line;
    while ((line = readLine()) != null) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      int start = lineNumber;
      if (!SqlText.startsSql(s)) {
        return new Entry(line, start);
      }
      StringBuilder sql = new StringBuilder(line);
      while (!SqlText.isComplete(sql.toString())) {
        String more = readLine();
        if (more == null) {
          throw new InputException("This SQL statement has no closing ';' before the end of the"
              + " script", start);
        }
        if (!more.strip().startsWith("#")) {
          sql.append('\n').append(more);
        }
      }
      return new Entry(sql.toString(), start);
    }
    return null;
  }

  private String readLine() {
    try {
      String line = reader.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (IOException e) {
      throw new InputException("Could not read the script: " + e.getMessage(), lineNumber + 1);
    }
  }

  @Override
  public boolean interactive() {
    return false;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // Only read from: nothing is lost by a failed close.
    }
  }
}
