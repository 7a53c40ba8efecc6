package dev.durable.internal.cli;

/**
 * Sets up the console log before the first logger is made: one line per request from the
 * emulator, warnings only from the libraries under it.
 */
final class Logging {
  private Logging() {}

  static void configure(String level) {
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setDefault("org.slf4j.simpleLogger.log.dev.durable", level);
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
    if (level.equals("debug") || level.equals("trace")) {
      setDefault("org.slf4j.simpleLogger.log.io.javalin", "info");
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
