package dev.durable.samples.agent;

import java.util.List;

/**
 * The language model behind an {@link AgentSession}, reduced to the one thing a run needs: given
 * the branch of the conversation the run works on (oldest first, ending with the run's latest
 * step), what to do next. A model must be a pure function of that branch: a run resumed after a
 * crash asks again and must get the same step. {@link RuleBasedModel} is a deterministic fake;
 * a real model would call its API through {@code ctx.fetch}.
 */
public interface Model {
  /** The next step of the run whose branch this is. */
  Step next(List<Message> branch);

  /** What a model can ask for. */
  sealed interface Step {
    /** Run a tool with this input; its output becomes the next message of the branch. */
    record UseTool(String tool, String input) implements Step {}

    /** Answer the user; the run ends. */
    record Answer(String text) implements Step {}
  }
}
