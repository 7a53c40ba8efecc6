package dev.durable.agents.testing;

/** An agent answered a {@link TestAgentClient#call} with {@code success:false}; the message is its error. */
public final class AgentCallException extends RuntimeException {
  private final String method;

  AgentCallException(String method, String error) {
    super(error);
    this.method = method;
  }

  /** The method that was called. */
  public String method() {
    return method;
  }
}
