package dev.durable.internal.runtime;

import dev.durable.DurableObjectId;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStorage;
import dev.durable.Facets;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.internal.gate.Events;
import dev.durable.internal.gate.Sneaky;
import dev.durable.runtime.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/** The {@link DurableObjectState} the runtime hands each instance of one object. */
final class ObjectContext implements DurableObjectState {
  static final Duration BLOCK_CONCURRENCY_LIMIT = Duration.ofSeconds(30);

  private final ObjectHandle handle;
  private final ObjectServices services;
  private ObjectFacets facets;

  ObjectContext(ObjectHandle handle, ObjectServices services) {
    this.handle = handle;
    this.services = services;
  }

  @Override
  public DurableObjectId id() {
    return handle.id();
  }

  @Override
  public DurableObjectStorage storage() {
    return handle.storage();
  }

  @Override
  public Facets facets() {
    FacetNamespaces registry = handle.namespace().facets();
    if (registry == null) {
      throw new UnsupportedOperationException(handle.describe()
          + " is a facet; facets cannot have facets of their own");
    }
    if (facets == null) {
      facets = new ObjectFacets(registry, handle);
    }
    return facets;
  }

  @Override
  public Instant now() {
    return services.clock().instant();
  }

  @Override
  public <T> T blockConcurrencyWhile(Callable<T> callable) {
    Events.Event event = Events.current();
    if (event == null || !event.belongsTo(handle) || !event.gateHeld()) {
      throw new IllegalStateException("blockConcurrencyWhile() must be called from inside an event of "
          + handle.describe());
    }
    Thread thread = Thread.currentThread();
    RuntimeClock.Timer watchdog = services.housekeeping().watchdog(BLOCK_CONCURRENCY_LIMIT, () -> {
      handle.requestReset("blockConcurrencyWhile() ran longer than "
          + BLOCK_CONCURRENCY_LIMIT.toSeconds() + " s");
      thread.interrupt();
    });
    try {
      return event.blocking(callable);
    } catch (Exception e) {
      handle.requestReset("blockConcurrencyWhile() callback threw " + e);
      throw Sneaky.rethrow(e);
    } finally {
      watchdog.cancel();
    }
  }

  @Override
  public void waitUntil(CompletionStage<?> work) {
    handle.keepAliveUntil(work);
  }

  @Override
  public Response fetch(Request request) {
    return Events.withGateOpen(() -> services.outbound().fetch(request));
  }

  @Override
  public void acceptWebSocket(WebSocket ws, String... tags) {
    handle.namespace().sockets(handle.id()).accept(ws, tags);
  }

  @Override
  public List<WebSocket> getWebSockets() {
    return handle.namespace().existingSockets(handle.id()).map(s -> s.all(null)).orElse(List.of());
  }

  @Override
  public List<WebSocket> getWebSockets(String tag) {
    if (tag == null) {
      throw new IllegalArgumentException("getWebSockets(tag): tag must not be null");
    }
    return handle.namespace().existingSockets(handle.id()).map(s -> s.all(tag)).orElse(List.of());
  }

  @Override
  public List<String> getTags(WebSocket ws) {
    return handle.namespace().sockets(handle.id()).tags(ws);
  }

  @Override
  public void setWebSocketAutoResponse(String request, String response) {
    handle.namespace().sockets(handle.id()).setAutoResponse(request, response);
  }

  @Override
  public void clearWebSocketAutoResponse() {
    handle.namespace().existingSockets(handle.id()).ifPresent(s -> s.setAutoResponse(null, null));
  }

  @Override
  public Optional<Instant> getWebSocketAutoResponseTimestamp(WebSocket ws) {
    return handle.namespace().existingSockets(handle.id()).flatMap(s -> s.autoResponseTimestamp(ws));
  }

  @Override
  public void sleep(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("sleep() duration must not be negative: " + duration);
    }
    Events.withGateOpen(() -> {
      services.clock().sleep(duration);
      return null;
    });
  }
}
