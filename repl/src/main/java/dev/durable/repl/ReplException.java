package dev.durable.repl;

/**
 * A failure the REPL shows as one line, its message, and never as a stack trace: a bad
 * command, an error answered by the emulator, or an emulator that does not answer.
 */
class ReplException extends RuntimeException {
  ReplException(String message) {
    super(message);
  }
}
