package dev.durable.internal.server;

import dev.durable.runtime.DurableRuntime;

/**
 * The streaming test app served in a child JVM, so a test can give it a small heap: prints
 * {@code URL <url>} once it serves, and stops when its standard input closes.
 *
 * <p>Arguments: the largest request body (bytes).
 */
public final class StreamingServerMain {
  private StreamingServerMain() {}

  public static void main(String[] args) throws Exception {
    long maxBody = Long.parseLong(args[0]);
    try (DurableRuntime runtime = StreamingTestApp.runtime().build();
        DevServer server = DevServer.start(runtime, new DevServer.Options("127.0.0.1", 0, maxBody, null))) {
      System.out.println("URL " + server.url());
      System.out.println("HEAP " + Runtime.getRuntime().maxMemory());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the test closes our input
      }
    }
  }
}
