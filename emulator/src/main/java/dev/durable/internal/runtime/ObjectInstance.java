package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.internal.gate.Events;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An object's instance, built on demand and dropped on eviction or reset, and which of its
 * incarnations an event belongs to. An event that waited on outgoing I/O across a drop belongs
 * to an instance that is gone, so it may not go on: in Cloudflare the evicted instance's work
 * stops with it, and an agent's interrupted fiber must not run twice. Read and written under
 * the object's gate, except {@link #isLive()}.
 */
final class ObjectInstance {
  private final Supplier<DurableObject> construct;
  private volatile DurableObject instance;
  private volatile long incarnation;
  private final Map<Events.Event, Long> suspendedIn = new ConcurrentHashMap<>();

  ObjectInstance(Supplier<DurableObject> construct) {
    this.construct = construct;
  }

  /** The instance, built first if there is none. */
  DurableObject get() {
    if (instance == null) {
      instance = construct.get();
    }
    return instance;
  }

  /** The instance if it is live, else null. */
  DurableObject ifLive() {
    return instance;
  }

  boolean isLive() {
    return instance != null;
  }

  /** Drops the instance: events waiting on outgoing I/O will not go on. */
  void drop() {
    instance = null;
    incarnation++;
  }

  /** Notes the incarnation an event belonged to when it opened the gate for outgoing I/O. */
  void suspended(Events.Event event) {
    suspendedIn.put(event, incarnation);
  }

  /** Whether the event, back from outgoing I/O, still belongs to the live incarnation. */
  boolean resumedInSameIncarnation(Events.Event event) {
    Long at = suspendedIn.remove(event);
    return at == null || at == incarnation;
  }
}
