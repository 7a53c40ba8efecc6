package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a fiber's body is given: its identity and its checkpoint. A value passed to
 * {@link #stash} replaces the previous one and is committed with the event's other writes,
 * at the latest before the body next waits on outgoing I/O ({@code ctx.sleep}, a fetch, a stub
 * call) or when the event ends; after a crash, {@link Agent#onFiberRecovered} gets the last one
 * committed.
 */
public final class FiberContext {
  private final String id;
  private final String name;
  private final Consumer<JsonNode> store;
  private JsonNode snapshot;
  private boolean ended;

  FiberContext(String id, String name, JsonNode snapshot, Consumer<JsonNode> store) {
    this.id = id;
    this.name = name;
    this.snapshot = snapshot;
    this.store = store;
  }

  /** The fiber's id, as {@link Agent#listFibers()} shows it. */
  public String id() {
    return id;
  }

  /** The name the fiber was started with. */
  public String name() {
    return name;
  }

  /**
   * Checkpoints the fiber: {@code value} (any JSON-serialisable value; null clears it) replaces
   * the previous one. Write the whole state needed to resume, not a delta.
   *
   * @throws IllegalArgumentException when the value cannot be written as JSON (nothing is stored)
   * @throws IllegalStateException when the fiber's body has already returned
   */
  public void stash(Object value) {
    if (ended) {
      throw new IllegalStateException("Fiber '" + name + "' (" + id + ") has ended; stash() works only"
          + " while its body runs");
    }
    JsonNode json = value == null ? NullNode.getInstance() : AgentJson.tree(value);
    store.accept(json);
    snapshot = json;
  }

  /**
   * The last value stashed, read as a type: in a resumed fiber at first the one it was
   * interrupted with; empty when there is none.
   */
  public <T> Optional<T> snapshot(Class<T> type) {
    return snapshot == null || snapshot.isNull() ? Optional.empty() : Optional.of(AgentJson.read(snapshot, type));
  }

  void end() {
    ended = true;
  }
}
