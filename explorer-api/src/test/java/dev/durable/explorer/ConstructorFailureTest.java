package dev.durable.explorer;

import static dev.durable.explorer.ExplorerServer.NS;

import dev.durable.runtime.DurableRuntime;
import org.junit.jupiter.api.Test;

/** An object that cannot be built: the explorer's RPC says the constructor threw, not the method. */
class ConstructorFailureTest {
  @Test
  void aConstructorFailureIsReportedAsOneAndTheMethodAsNotRun() {
    DurableRuntime runtime = DurableRuntime.builder().bind("BROKEN", TestObjects.Unbuildable.class).build();
    try (ExplorerServer s = ExplorerServer.start(runtime, o -> o)) {
      s.post(NS + "/app-Unbuildable/objects/name:shop/rpc", "{\"method\":\"list\"}")
          .fails(500, 10002, "Constructor of " + TestObjects.Unbuildable.class.getName()
              + " threw java.lang.IllegalStateException: no inventory file; list() did not run");
    }
  }
}
