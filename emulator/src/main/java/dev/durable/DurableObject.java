package dev.durable;

/**
 * Base class of a Durable Object: a single-threaded actor with its own storage. Subclasses need
 * a public constructor taking {@code (DurableObjectState, Env)}, and override the handlers they
 * use. Any other public method of an interface the class implements can be called through a
 * typed stub ({@link DurableObjectStub#as}).
 *
 * <pre>{@code
 * public class Counter extends DurableObject implements CounterApi {
 *   public Counter(DurableObjectState ctx, Env env) { super(ctx, env); }
 *   public long increment(long by) {
 *     long n = ctx.storage().get("n", Long.class).orElse(0L) + by;
 *     ctx.storage().put("n", n);
 *     return n;
 *   }
 * }
 * }</pre>
 */
public abstract class DurableObject {
  /** This object's state: id, storage, clock. */
  protected final DurableObjectState ctx;

  /** The worker's bindings and variables. */
  protected final Env env;

  /** Called by the runtime when the object starts (again, after eviction or a reset). */
  protected DurableObject(DurableObjectState ctx, Env env) {
    this.ctx = ctx;
    this.env = env;
  }

  /** Handles an HTTP request sent through a stub. The default answers 501. */
  public Response fetch(Request request) throws Exception {
    return Response.status(501, getClass().getSimpleName() + " does not handle fetch()");
  }

  /**
   * Handles the object's alarm. Override it to use alarms; setting an alarm on a class that does
   * not is an error. A handler that throws is retried with backoff.
   */
  public void alarm(AlarmInfo info) throws Exception {
    throw new IllegalStateException(getClass().getName() + " has no alarm() handler");
  }

  /**
   * Handles a text message on a WebSocket this object accepted with
   * {@link DurableObjectState#acceptWebSocket}. The instance may have been evicted and rebuilt
   * since the socket was accepted; keep per-socket state in its attachment.
   */
  public void webSocketMessage(WebSocket ws, String message) throws Exception {
    throw new IllegalStateException(getClass().getName()
        + " accepted a WebSocket but does not override webSocketMessage(WebSocket, String)");
  }

  /** Handles a binary message on an accepted WebSocket. */
  public void webSocketMessage(WebSocket ws, byte[] message) throws Exception {
    throw new IllegalStateException(getClass().getName()
        + " accepted a WebSocket but does not override webSocketMessage(WebSocket, byte[])");
  }

  /** Called when the client closed an accepted WebSocket; the default does nothing. */
  public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean)
      throws Exception {}

  /** Called when an accepted WebSocket's connection failed; the default does nothing. */
  public void webSocketError(WebSocket ws, Throwable error) throws Exception {}
}
