package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamedFetchTest {
  @TempDir
  Path dir;

  @Test
  void fetchPrintsAStreamedBodyAsItArrives() throws Exception {
    try (ReplServer server = ReplServer.start(dir)) {
      Path script = dir.resolve("ticks.durable");
      Files.writeString(script, "use SHOP s\nfetch GET /ticks\n");
      StringBuffer printed = new StringBuffer();
      PrintStream out = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          printed.append(new String(b, off, len, StandardCharsets.UTF_8));
        }
      }, true, StandardCharsets.UTF_8);
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ReplCommand.run(
          new String[] {"--url", server.url(), "-f", script.toString()}, new ByteArrayInputStream(new byte[0]),
          out, out, new HashMap<>(), null));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!printed.toString().contains("tick 1") && System.nanoTime() < deadline && !run.isDone()) {
        Thread.sleep(10);
      }
      assertThat(printed.toString()).as("printed while the object still waits to send its second chunk")
          .contains("HTTP 200", "content-type: text/plain;charset=UTF-8", "tick 1").doesNotContain("tick 2");
      TestObjects.Shop.secondTick.release();
      assertThat(run.get(30, TimeUnit.SECONDS)).as("exit status; output:\n%s", printed).isZero();
      assertThat(printed.toString().lines().toList()).containsSubsequence(List.of("HTTP 200", "", "tick 1", "tick 2"));
    }
  }
}
