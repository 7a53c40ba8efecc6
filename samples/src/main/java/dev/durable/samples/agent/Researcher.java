package dev.durable.samples.agent;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.agents.Agent;
import dev.durable.agents.NewMessage;
import dev.durable.agents.SearchHit;
import dev.durable.agents.SearchOptions;
import dev.durable.agents.Session;
import dev.durable.agents.Sessions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sub-agent of an {@link AgentSession} ({@code subAgent(Researcher.class, "researcher")}):
 * a child on a facet of the session, with its own SQLite. The session reports each run's answer
 * to it; it keeps them as notes, one session of {@link Sessions} with their own full-text index,
 * and the {@code research} tool asks it for what the notes say about a topic.
 */
public class Researcher extends Agent<Void> implements ResearcherApi {
  /** How many notes a summary quotes at most. */
  static final int NOTES_PER_SUMMARY = 3;

  /** Called by the runtime, on the parent's first {@code subAgent} call. */
  public Researcher(DurableObjectState ctx, Env env) {
    super(ctx, env, Void.class);
  }

  @Override
  public void note(long runId, String answer) {
    String id = "run-" + runId;
    if (sessions().message(id).isEmpty()) {
      String notebook = notebook().orElseGet(() -> sessions().create("notes")).id();
      sessions().append(notebook, NewMessage.assistant(answer).withId(id));
    }
  }

  @Override
  public String research(String topic) {
    String query = Sessions.allWords(topic);
    Optional<Session> notebook = notebook();
    List<SearchHit> hits = query.isEmpty() || notebook.isEmpty() ? List.of()
        : sessions().search(notebook.get().id(), query, SearchOptions.DEFAULT.withLimit(NOTES_PER_SUMMARY));
    if (hits.isEmpty()) {
      return "No notes on " + topic + " yet.";
    }
    return "Notes on " + topic + ": " + hits.stream()
        .map(h -> h.snippet() + " (" + h.messageId().replace('-', ' ') + ")")
        .collect(Collectors.joining(" | "));
  }

  private Optional<Session> notebook() {
    return sessions().list().stream().findFirst();
  }
}
