package dev.durable.repl;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * How the console splits what is typed: words for completion, and a line that starts SQL goes
 * on to the next until it ends with {@code ;}. Backslashes are not escapes (SQL and JSON have
 * their own); a completed name with blanks is put in quotes instead.
 */
final class ReplParser extends DefaultParser {
  ReplParser() {
    setEscapeChars(null);
    setEofOnUnclosedQuote(false);
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && SqlText.startsSql(line) && !SqlText.isComplete(line)) {
      throw new EOFError(-1, cursor, "SQL goes on until ';'", ";");
    }
    return super.parse(line, cursor, context);
  }
}
