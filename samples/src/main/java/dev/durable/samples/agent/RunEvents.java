package dev.durable.samples.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.EventStream;
import dev.durable.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-sent events of the runs clients watch: a {@code step} event per tool step and an
 * {@code answer} event as they are stored, then {@code done} with the run. The streams live in
 * the instance's memory, as connections do; what a run stored is in its messages, so a client
 * that comes late (or after an eviction) gets it replayed.
 */
final class RunEvents {
  /** An answer as its event carries it. */
  record Answer(long answerId, String answer) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<Long, Set<EventStream>> watchers = new ConcurrentHashMap<>();

  /**
   * A stream for one client: the run's messages so far (after its prompt), then, while the run
   * runs, what {@link #announce} and {@link #end} send; a run that ended is ended at once.
   */
  Response open(long runId, List<Message> sofar, boolean running, Object view) {
    EventStream stream = EventStream.create();
    sofar.stream().skip(1).forEach(m -> send(stream, m));
    if (running) {
      Set<EventStream> watching = watchers.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet());
      watching.add(stream);
      stream.onClose(() -> watching.remove(stream));
    } else {
      end(stream, view);
    }
    return Response.events(stream);
  }

  /** Whether a client watches the run. */
  boolean watched(long runId) {
    return watchers.containsKey(runId);
  }

  /** Sends a message the run stored to those who watch it. */
  void announce(long runId, Message m) {
    watchers.getOrDefault(runId, Set.of()).forEach(stream -> send(stream, m));
  }

  /** Sends {@code done} with the run's view and ends the streams of those who watch it. */
  void end(long runId, Object view) {
    Set<EventStream> watching = watchers.remove(runId);
    if (watching != null) {
      watching.forEach(stream -> end(stream, view));
    }
  }

  private static void send(EventStream stream, Message m) {
    boolean tool = m.role().equals("tool");
    stream.send(tool ? "step" : "answer",
        json(tool ? new AgentSession.Step(m.tool(), m.input(), m.content()) : new Answer(m.id(), m.content())));
  }

  private static void end(EventStream stream, Object view) {
    stream.send("done", json(view));
    stream.close();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value + " as JSON", e);
    }
  }
}
