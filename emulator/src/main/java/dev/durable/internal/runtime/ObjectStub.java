package dev.durable.internal.runtime;

import dev.durable.DurableObjectException;
import dev.durable.DurableObjectId;
import dev.durable.DurableObjectStub;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.internal.gate.EventRunner;
import dev.durable.internal.gate.Events;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A stub: every call is one event of the target object, with the caller's gate open meanwhile. */
final class ObjectStub implements DurableObjectStub {
  private static final Logger log = LoggerFactory.getLogger(ObjectStub.class);
  private final ObjectNamespace namespace;
  private final DurableObjectId id;

  ObjectStub(ObjectNamespace namespace, DurableObjectId id) {
    this.namespace = namespace;
    this.id = id;
  }

  ObjectNamespace namespace() {
    return namespace;
  }

  @Override
  public DurableObjectId id() {
    return id;
  }

  @Override
  public Response fetch(Request request) {
    if (request == null) {
      throw new IllegalArgumentException("fetch() request must not be null");
    }
    return invoke(obj -> nonNull(obj.fetch(request), obj));
  }

  /** What a {@code fetch} handler returned; a clear error naming its class when that was null. */
  static Response nonNull(Response response, Object handler) {
    if (response == null) {
      throw new IllegalStateException(handler.getClass().getName() + ".fetch() returned null");
    }
    return response;
  }

  @Override
  public <T> T as(Class<T> rpcInterface) {
    return Rpc.proxy(this, namespace.objectClass(), rpcInterface);
  }

  @Override
  public Object call(String method, List<?> arguments) {
    return Rpc.callByName(this, namespace.objectClass(), method, arguments);
  }

  /** Runs a task as an event of the target, translating what it throws for the caller. */
  <T> T invoke(EventRunner.Task<T> task) {
    WorkerCalls.record(namespace, id);
    return Events.withGateOpen(() -> {
      try {
        return namespace.handle(id).run(task, true);
      } catch (DurableObjectException e) {
        throw e; // logged where it was thrown: a constructor, a commit, a stub further in
      } catch (Throwable t) {
        // The caller may catch it (a worker answering 409, say) and the dev log would show only
        // the status: the object's failure is logged here, with its stack trace.
        log.warn("{} {} threw {}; its caller gets a DurableObjectException", namespace.binding(),
            id.name().map(n -> "'" + n + "'").orElse(id.toString()), t.getClass().getName(), t);
        throw new DurableObjectException(t.getMessage() == null ? t.getClass().getName() : t.getMessage(),
            t.getClass().getName(), t);
      }
    });
  }

  @Override
  public String toString() {
    return "DurableObjectStub(" + namespace.namespaceId() + ", " + id + ")";
  }

  static boolean isHandlerName(String name) {
    return name.equals("fetch") || name.equals("alarm") || name.startsWith("webSocket");
  }
}
