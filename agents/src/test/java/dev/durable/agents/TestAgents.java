package dev.durable.agents;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Agents the tests drive. */
public final class TestAgents {
  private TestAgents() {}

  /** The state of {@link Tally}. */
  public record Count(long count) {}

  /** What {@link Tally} offers to Java callers through a typed stub. */
  public interface TallyApi {
    long increment(long by);

    /** Schedules {@code increment(1)} in some minutes. */
    void nudgeIn(long minutes);
  }

  /** A counter with every kind of hook and callable the protocol tests need. */
  public static class Tally extends Agent<Count> implements TallyApi {
    public Tally(DurableObjectState ctx, Env env) {
      super(ctx, env, Count.class);
    }

    @Override
    protected Count initialState() {
      return new Count(0);
    }

    @Override
    @Callable
    public long increment(long by) {
      setState(new Count(state().count() + by));
      return state().count();
    }

    @Override
    public void nudgeIn(long minutes) {
      schedule(java.time.Duration.ofMinutes(minutes), "increment", 1);
    }

    @Callable
    public void reset() {
      setState(new Count(0));
    }

    @Callable
    public String fail() {
      throw new IllegalStateException("the tally is broken");
    }

    @Callable(streaming = true)
    public void countdown(StreamingResponse stream, int from) {
      for (int i = from; i > 0; i--) {
        stream.send(i);
      }
      stream.end("liftoff");
    }

    @Callable(streaming = true)
    public void brokenStream(StreamingResponse stream) {
      stream.send("one");
      throw new IllegalArgumentException("the stream broke");
    }

    @Callable
    public void remember(String note) {
      currentConnection().orElseThrow().setState(new Note(note));
    }

    @Callable
    public String recall() {
      return currentConnection().orElseThrow().state(Note.class).map(Note::text).orElse("nothing");
    }

    @Callable
    public List<String> connectionIds() {
      List<String> ids = new ArrayList<>();
      getConnections().forEach(c -> ids.add(c.id()));
      return ids.stream().sorted().toList();
    }

    /** Public, but not callable by clients. */
    public String secret() {
      return "hidden";
    }

    @Override
    protected void validateStateChange(Count next, Optional<Connection> source) {
      if (next.count() < 0) {
        throw new IllegalArgumentException("a tally never goes below zero");
      }
    }

    @Override
    protected boolean shouldConnectionBeReadonly(Connection connection, ConnectionContext context) {
      return "1".equals(context.request().query("readonly"));
    }

    @Override
    protected List<String> connectionTags(String connectionId, ConnectionContext context) {
      String team = context.request().query("team");
      return team == null ? List.of() : List.of(team);
    }

    @Override
    protected void onConnect(Connection connection, ConnectionContext context) {
      if ("bad".equals(context.request().query("token"))) {
        connection.close(4001, "unauthorized");
      }
    }

    @Override
    protected void onMessage(Connection connection, String message) {
      if (message.startsWith("team:")) {
        getConnections(message.substring(5)).forEach(c -> c.send("hello team"));
      } else {
        connection.send("echo: " + message);
      }
    }

    @Override
    protected Response onRequest(Request request) {
      return Response.text("count of " + name() + " is " + state().count());
    }
  }

  /** A connection's own state in {@link Tally}. */
  public record Note(String text) {}

  /** An agent with no state and no HTTP handler. */
  public static class Stateless extends Agent<Count> {
    public Stateless(DurableObjectState ctx, Env env) {
      super(ctx, env, Count.class);
    }
  }
}
