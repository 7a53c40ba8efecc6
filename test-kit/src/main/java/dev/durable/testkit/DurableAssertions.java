package dev.durable.testkit;

import dev.durable.DurableObjectStub;
import dev.durable.Response;
import dev.durable.runtime.ObjectTools;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions for Durable Objects, and all of AssertJ's own: one static import serves a
 * whole test.
 *
 * <pre>{@code
 * import static dev.durable.testkit.DurableAssertions.assertThat;
 *
 * assertThat(stub).hasValue("count", 2).hasRowCount("log", 2).hasAlarmAt(t0.plus(Duration.ofDays(30)));
 * assertThat(dos.worker().fetch("/count")).hasStatus(200).hasJsonBody("{\"count\": 2}");
 * }</pre>
 */
public class DurableAssertions extends Assertions {
  /** Only static methods; subclass to add your own. */
  protected DurableAssertions() {}

  /**
   * Assertions on what the stub's object has stored, read now through its gate (without
   * building its instance).
   */
  public static ObjectSnapshotAssert assertThat(DurableObjectStub stub) {
    if (stub == null) {
      throw new IllegalArgumentException("assertThat() needs a stub, got null");
    }
    return new ObjectSnapshotAssert(ObjectSnapshot.read(ObjectTools.of(stub), stub));
  }

  /** Assertions on a snapshot of an object's stored state. */
  public static ObjectSnapshotAssert assertThat(ObjectSnapshot snapshot) {
    return new ObjectSnapshotAssert(snapshot);
  }

  /** Assertions on a response: status and body. */
  public static ResponseAssert assertThat(Response response) {
    return new ResponseAssert(response);
  }
}
