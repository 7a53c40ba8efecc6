package dev.durable;

import java.util.List;

/**
 * A client for one Durable Object: send it HTTP requests or call its methods.
 *
 * <p>RPC arguments and results cross by value (copied through JSON, like structured clone); a
 * value that cannot be copied fails at the call. An exception thrown by the object arrives as a
 * {@link DurableObjectException} keeping the original type name and message. Calls made through
 * one stub arrive in the order made.
 */
public interface DurableObjectStub {
  /** The id of the object this stub talks to. */
  DurableObjectId id();

  /** Sends an HTTP request to the object's {@link DurableObject#fetch}. */
  Response fetch(Request request);

  /**
   * A proxy implementing the given interface whose calls run as RPC on the object. The object's
   * class must implement the interface.
   */
  <T> T as(Class<T> rpcInterface);

  /**
   * Calls a public method by name with arguments given as plain JSON values (maps, lists,
   * strings, numbers, booleans, null), converted to the method's parameter types; returns the
   * result as plain JSON values. Used by tools such as the REPL.
   */
  Object call(String method, List<?> arguments);
}
