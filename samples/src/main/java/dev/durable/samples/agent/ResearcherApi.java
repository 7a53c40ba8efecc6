package dev.durable.samples.agent;

/**
 * What an {@link AgentSession} asks of its {@link Researcher} sub-agent, by in-process RPC.
 */
public interface ResearcherApi {
  /** Keeps a run's answer as a note; a run already noted is left as it is, so a repeat is harmless. */
  void note(long runId, String answer);

  /** A short summary of the notes about a topic: the best few, each with the run it came from. */
  String research(String topic);
}
