package dev.durable;

/**
 * An error that crossed an object boundary: thrown by a Durable Object while handling a call, or
 * raised by the runtime on the object's behalf (a failed commit, a reset). The original
 * exception's class name and message are kept; the object itself keeps running.
 */
public class DurableObjectException extends RuntimeException {
  private final String remoteType;

  /** An error raised by the runtime, not by user code. */
  public DurableObjectException(String message) {
    this(message, null, null);
  }

  /** An error raised by the runtime with a cause. */
  public DurableObjectException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * An error thrown inside an object.
   *
   * @param remoteType the class name of the exception the object threw, or null for runtime errors
   */
  public DurableObjectException(String message, String remoteType, Throwable cause) {
    super(message, cause);
    this.remoteType = remoteType;
  }

  /** The class name of the exception thrown in the object, or null when the runtime raised it. */
  public String remoteType() {
    return remoteType;
  }

  /** Whether the object's own code threw this (as opposed to the runtime). */
  public boolean isRemote() {
    return remoteType != null;
  }
}
