package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.WebSocket;
import dev.durable.WebSocketPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A Durable Object that clients talk to as an agent, wire-compatible with Cloudflare's
 * JavaScript {@code AgentClient} and {@code useAgent}: a typed state kept in the object's SQLite
 * and synced to every connected client, methods clients call by name ({@link Callable}), and
 * schedules that call methods later. Connections are hibernatable WebSockets, so an idle agent
 * is evicted while its clients stay connected, and the next frame wakes it.
 *
 * <pre>{@code
 * public class CounterAgent extends Agent<CounterAgent.Count> {
 *   public record Count(long count) {}
 *   public CounterAgent(DurableObjectState ctx, Env env) { super(ctx, env, Count.class); }
 *   @Override protected Count initialState() { return new Count(0); }
 *   @Callable public long increment(long by) {
 *     setState(new Count(state().count() + by));
 *     return state().count();
 *   }
 * }
 * }</pre>
 *
 * The worker sends requests to agents with {@link AgentRouter}. The handlers of
 * {@link DurableObject} are final here; override the {@code on...} hooks instead.
 *
 * @param <S> the state's type, read and written as JSON
 */
public abstract class Agent<S> extends DurableObject {
  private final Class<S> stateType;
  private final StateTable stateTable;
  private final Schedules schedules;
  private final Fibers fibers;
  /** The connection whose frame is being handled; events run one per thread. */
  private final ThreadLocal<Connection> caller = new ThreadLocal<>();
  private boolean alarmChecked;

  /** Called by the runtime's constructor call of the subclass; {@code stateType} is the state's class. */
  protected Agent(DurableObjectState ctx, Env env, Class<S> stateType) {
    super(ctx, env);
    if (stateType == null) {
      throw new IllegalArgumentException(getClass().getName() + " must pass its state's class to Agent's"
          + " constructor, e.g. super(ctx, env, MyState.class)");
    }
    this.stateType = stateType;
    this.stateTable = new StateTable(ctx.storage());
    this.fibers = new Fibers(ctx, this::fiberHeartbeatInterval, this::armAlarm);
    this.schedules = new Schedules(ctx.storage(), fibers::wakeUp);
    CallableMethods.of(getClass()); // a badly declared @Callable fails at start, not at the first call
    fibers.afterWake();
  }

  // ---- identity ----

  /** The agent's name: the name its id was made from, or the id's hex when it has none. */
  public String name() {
    return ctx.id().name().orElse(ctx.id().toString());
  }

  /** The agent's class name in kebab case, as clients and URLs name it ({@code counter-agent}). */
  public String agentName() {
    return AgentNames.kebab(getClass().getSimpleName());
  }

  // ---- state ----

  /** The state the agent starts with; null (the default) for none until {@link #setState}. */
  protected S initialState() {
    return null;
  }

  /**
   * The current state, read from storage: what was last set, else {@link #initialState()}
   * (stored on first read), else null.
   */
  public S state() {
    Optional<JsonNode> stored = stateTable.read();
    if (stored.isPresent()) {
      return AgentJson.read(stored.get(), stateType);
    }
    S initial = initialState();
    if (initial != null) {
      stateTable.write(AgentJson.tree(initial));
    }
    return initial;
  }

  /**
   * Replaces the state: validates it ({@link #validateStateChange}), stores it, sends it to
   * every connected client (the caller's too), then calls {@link #onStateUpdate}. Fails with
   * "Connection is readonly" inside a callable method called by a read-only connection.
   */
  public void setState(S state) {
    Connection from = caller.get();
    if (from != null && from.isReadonly()) {
      throw new IllegalStateException("Connection is readonly");
    }
    applyState(state, Optional.empty());
  }

  /**
   * Checks a new state before it is stored; throw to refuse it. A client whose change is
   * refused gets {@code cf_agent_state_error} "State update rejected". {@code source} is the
   * client that sent it, or empty when the agent itself set it.
   */
  protected void validateStateChange(S next, Optional<Connection> source) {}

  /** Called after a new state is stored and sent to the clients. */
  protected void onStateUpdate(S state, Optional<Connection> source) {}

  private void applyState(S state, Optional<Connection> source) {
    if (state == null) {
      throw new IllegalArgumentException("An agent's state must not be null");
    }
    validateStateChange(state, source);
    store(state, source);
  }

  /** Stores a validated state, sends it to every client but the one it came from, and tells the hook. */
  private void store(S state, Optional<Connection> source) {
    JsonNode json = AgentJson.tree(state);
    stateTable.write(json);
    broadcast(AgentJson.write(Frames.state(json)), source.map(Connection::id).stream().toArray(String[]::new));
    onStateUpdate(state, source);
  }

  // ---- connections ----

  /**
   * Whether a new connection should be read-only (its clients may read the state, not change
   * it). The default is false.
   */
  protected boolean shouldConnectionBeReadonly(Connection connection, ConnectionContext context) {
    return false;
  }

  /** The tags a new connection is accepted with, for {@link #getConnections(String)}; none by default. */
  protected List<String> connectionTags(String connectionId, ConnectionContext context) {
    return List.of();
  }

  /**
   * A client connected; it has been sent the agent's identity, state and MCP servers. Refuse it
   * by closing the connection with a code within 4000..4999, which tells the JavaScript client
   * not to reconnect.
   */
  protected void onConnect(Connection connection, ConnectionContext context) throws Exception {}

  /** A text frame that is not part of the agents protocol (state or rpc) arrived. */
  protected void onMessage(Connection connection, String message) throws Exception {}

  /** A binary frame arrived. */
  protected void onMessage(Connection connection, byte[] message) throws Exception {}

  /** A client closed its connection. */
  protected void onClose(Connection connection, int code, String reason, boolean wasClean) throws Exception {}

  /** A connection failed. */
  protected void onError(Connection connection, Throwable error) throws Exception {}

  /** A plain HTTP request to the agent's URL; the default answers 404. */
  protected Response onRequest(Request request) throws Exception {
    return Response.status(404, agentName() + " '" + name() + "' does not handle HTTP requests");
  }

  /** Every open connection. */
  public final List<Connection> getConnections() {
    return ctx.getWebSockets().stream().map(Connection::of).toList();
  }

  /** The open connections accepted with a tag. */
  public final List<Connection> getConnections(String tag) {
    return ctx.getWebSockets(tag).stream().map(Connection::of).toList();
  }

  /** The open connection with this id, if any. */
  public final Optional<Connection> getConnection(String id) {
    return getConnections().stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** Sends a text frame to every open connection except those with the given ids. */
  public final void broadcast(String message, String... excludeIds) {
    Set<String> exclude = Set.copyOf(Arrays.asList(excludeIds));
    for (Connection c : getConnections()) {
      if (!exclude.contains(c.id()) && c.isOpen()) {
        c.send(message);
      }
    }
  }

  /** The connection whose frame is being handled now (in a callable method or {@code onMessage}). */
  protected final Optional<Connection> currentConnection() {
    return Optional.ofNullable(caller.get());
  }

  // ---- sessions ----

  /** The agent's conversation memory in its SQLite: sessions, messages, search, compaction, context blocks. */
  public final Sessions sessions() {
    return Sessions.of(ctx);
  }

  // ---- schedules ----

  /**
   * Calls the method named {@code callback} once, after a delay, with the payload (any JSON
   * value, or null). The method takes (), (payload) or (payload, {@link Schedule}).
   */
  public final Schedule schedule(Duration delay, String callback, Object payload) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("schedule(): the delay must be zero or more, got " + delay);
    }
    Instant now = ctx.now();
    return add(Schedule.Type.DELAYED, now.plus(delay), callback, payload, delay.toSeconds(), null, null);
  }

  /** Calls the method named {@code callback} once, at an instant (at once when it is past). */
  public final Schedule schedule(Instant when, String callback, Object payload) {
    if (when == null) {
      throw new IllegalArgumentException("schedule(): the instant must not be null");
    }
    return add(Schedule.Type.SCHEDULED, when, callback, payload, null, null, null);
  }

  /** Calls the method named {@code callback} at every time a cron expression (UTC) matches. */
  public final Schedule schedule(String cron, String callback, Object payload) {
    CronExpression expression = CronExpression.parse(cron);
    return add(Schedule.Type.CRON, expression.next(ctx.now()), callback, payload, null, cron.trim(), null);
  }

  /** Calls the method named {@code callback} every {@code interval}, the first time one interval from now. */
  public final Schedule scheduleEvery(Duration interval, String callback, Object payload) {
    if (interval == null || interval.toSeconds() < 1 || interval.toSeconds() > Duration.ofDays(30).toSeconds()) {
      throw new IllegalArgumentException("scheduleEvery(): the interval must be within 1 second..30 days, got "
          + interval);
    }
    return add(Schedule.Type.INTERVAL, ctx.now().plus(interval), callback, payload, null, null,
        interval.toSeconds());
  }

  /** Every schedule, the next to run first. */
  public final List<Schedule> getSchedules() {
    return schedules.all();
  }

  /** One schedule by id. */
  public final Optional<Schedule> getSchedule(String id) {
    return schedules.get(id);
  }

  /** Cancels a schedule; false when there was none with that id. */
  public final boolean cancelSchedule(String id) {
    return schedules.cancel(id);
  }

  private Schedule add(Schedule.Type type, Instant time, String callback, Object payload, Long delay, String cron,
      Long interval) {
    Schedules.callback(getClass(), callback); // a misspelt method fails now, not when it is due
    JsonNode json = AgentJson.tree(payload);
    return schedules.add(type, time, callback, json, delay, cron, interval, ctx.now());
  }

  // ---- sub-agents ----

  /**
   * The child agent {@code name} of class {@code child}, colocated with this agent (a facet, see
   * {@link dev.durable.Facets}): made on first use, with its own SQLite storage, state, schedules
   * and connections, reached only through this agent and deleted with its storage. The class
   * need not be bound in the configuration.
   */
  public final dev.durable.DurableObjectStub subAgent(Class<? extends Agent<?>> child, String name) {
    return ctx.facets().get(name, child);
  }

  /**
   * The child agent as a typed RPC proxy, an in-process call:
   * {@code subAgent(Chat.class, "c1", ChatApi.class).say("hi")}. The child's class must
   * implement the interface.
   */
  public final <T> T subAgent(Class<? extends Agent<?>> child, String name, Class<T> rpcInterface) {
    return subAgent(child, name).as(rpcInterface);
  }

  /** The names of this agent's children of one class that exist, sorted. */
  public final List<String> listSubAgents(Class<? extends Agent<?>> child) {
    return ctx.facets().list().stream().filter(f -> f.objectClass() == child)
        .map(dev.durable.Facets.Facet::name).toList();
  }

  /** Whether this agent has a child of this class with this name. */
  public final boolean hasSubAgent(Class<? extends Agent<?>> child, String name) {
    return listSubAgents(child).contains(name);
  }

  /**
   * Deletes a child agent: its instance, storage, schedules and connections. Returns whether it
   * existed; a child of this name but of another class is left alone (false).
   */
  public final boolean deleteSubAgent(Class<? extends Agent<?>> child, String name) {
    return hasSubAgent(child, name) && ctx.facets().delete(name);
  }

  // ---- fibers ----

  /**
   * Runs {@code body} now, inside the current event, as a durable fiber: recorded as running
   * before it starts, checkpointed by {@link FiberContext#stash}, and, if the agent is evicted,
   * reset or the process dies meanwhile, handed to {@link #onFiberRecovered} with its last stash
   * (the alarm beats every {@link #fiberHeartbeatInterval()} while it runs, so nobody needs to
   * call the agent). Returning marks it finished; throwing marks it failed (committed at once)
   * and reaches the caller. Neither is ever recovered. See the agents README, "Fibers".
   *
   * @throws IllegalArgumentException when the name is blank or the body null (nothing is written)
   */
  public final <T> T runFiber(String name, FiberBody<T> body) throws Exception {
    return fibers.run(name, body);
  }

  /**
   * Called, in the agent's alarm, for each fiber that was interrupted: still running in storage
   * while no instance runs its body. Resume it with {@link FiberRecovery#resume}, start other
   * work, or do nothing; a fiber not resumed is marked {@link Fiber.State#RECOVERED}. If this
   * throws, the fiber is recovered again a heartbeat later; a fiber recovered
   * {@link FiberRecovery#MAX_RECOVERIES} times and interrupted again is marked failed instead.
   * The default logs a warning.
   */
  protected void onFiberRecovered(FiberRecovery recovery) throws Exception {
    System.getLogger(Agent.class.getName()).log(System.Logger.Level.WARNING, () -> "Fiber '" + recovery.name()
        + "' (" + recovery.id() + ") of " + agentName() + " '" + name() + "' was interrupted;"
        + " override onFiberRecovered to resume it");
  }

  /**
   * How often the alarm beats while fibers run: after a crash, an interrupted fiber is recovered
   * at most this long after the process is back. 30 seconds unless overridden.
   */
  protected Duration fiberHeartbeatInterval() {
    return Duration.ofSeconds(30);
  }

  /** Every fiber of the agent, running or ended, oldest first. */
  public final List<Fiber> listFibers() {
    return fibers.all();
  }

  /** One fiber by id. */
  public final Optional<Fiber> getFiber(String id) {
    return fibers.get(id);
  }

  /** Forgets the fibers that ended (finished, failed, recovered); returns how many. Running ones stay. */
  public final int deleteEndedFibers() {
    return fibers.deleteEnded();
  }

  /**
   * Keeps the agent in memory, not evicted for idleness, until the returned hold is closed;
   * from any thread. Work inside an event keeps it anyway: this is for work that goes on after
   * the event returns.
   *
   * <pre>{@code
   * KeepAlive hold = keepAlive();
   * CompletableFuture.runAsync(this::crunch).whenComplete((r, e) -> hold.close());
   * }</pre>
   */
  public final KeepAlive keepAlive() {
    return fibers.keepAlive();
  }

  /** Runs {@code body} with the agent kept in memory ({@link #keepAlive()}), and returns what it returns. */
  public final <T> T keepAliveWhile(java.util.concurrent.Callable<T> body) throws Exception {
    if (body == null) {
      throw new IllegalArgumentException("keepAliveWhile() needs a body, got null");
    }
    try (KeepAlive hold = keepAlive()) {
      return body.call();
    }
  }

  // ---- the runtime's handlers ----

  /** Accepts a WebSocket upgrade as a connection; any other request goes to {@link #onRequest}. */
  @Override
  public final Response fetch(Request request) throws Exception {
    checkAlarm();
    if (!request.isWebSocketUpgrade()) {
      return onRequest(request);
    }
    String id = Optional.ofNullable(request.query("_pk")).filter(s -> !s.isEmpty())
        .orElseGet(() -> UUID.randomUUID().toString());
    ConnectionContext context = new ConnectionContext(request);
    WebSocketPair pair = new WebSocketPair();
    List<String> tags = connectionTags(id, context);
    ctx.acceptWebSocket(pair.server(), tags.toArray(String[]::new));
    Connection connection = Connection.accept(pair.server(), id, request.url().toString(), tags);
    if (shouldConnectionBeReadonly(connection, context)) {
      connection.setReadonly(true);
    }
    S current = state();
    connection.sendIfOpen(Frames.identity(name(), agentName(), current != null));
    if (current != null) {
      connection.sendIfOpen(Frames.state(AgentJson.tree(current)));
    }
    connection.sendIfOpen(Frames.noMcpServers());
    withCaller(connection, () -> onConnect(connection, context));
    return Response.webSocket(pair.client());
  }

  /** Handles the protocol's state and rpc frames; other frames go to {@link #onMessage}. */
  @Override
  public final void webSocketMessage(WebSocket ws, String message) throws Exception {
    checkAlarm();
    Connection connection = Connection.of(ws);
    JsonNode frame = AgentJson.parseOrNull(message);
    String type = frame != null && frame.isObject() ? frame.path("type").asText("") : "";
    if (type.equals(Frames.STATE) && frame.has("state")) {
      withCaller(connection, () -> stateFromClient(connection, frame.get("state")));
    } else if (type.equals(Frames.RPC) && frame.has("method")) {
      withCaller(connection, () -> CallableMethods.of(getClass()).answer(this, connection, frame));
    } else {
      withCaller(connection, () -> onMessage(connection, message));
    }
  }

  @Override
  public final void webSocketMessage(WebSocket ws, byte[] message) throws Exception {
    checkAlarm();
    Connection connection = Connection.of(ws);
    withCaller(connection, () -> onMessage(connection, message));
  }

  @Override
  public final void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) throws Exception {
    Connection connection = Connection.of(ws);
    withCaller(connection, () -> onClose(connection, code, reason, wasClean));
  }

  @Override
  public final void webSocketError(WebSocket ws, Throwable error) throws Exception {
    Connection connection = Connection.of(ws);
    withCaller(connection, () -> onError(connection, error));
  }

  /** Runs the due schedules in time order, then sets the alarm for the next one. */
  @Override
  public final void alarm(AlarmInfo info) throws Exception {
    alarmChecked = true;
    fibers.recover(this::onFiberRecovered);
    Instant now = ctx.now();
    for (Schedule due : schedules.due(now)) {
      if (schedules.get(due.id()).isEmpty()) {
        continue; // cancelled by a schedule that ran before it
      }
      schedules.run(this, due);
      schedules.ran(due, now);
      ctx.storage().sync();
    }
    schedules.arm();
  }

  private void stateFromClient(Connection connection, JsonNode json) {
    if (connection.isReadonly()) {
      connection.sendIfOpen(Frames.stateError("Connection is readonly"));
      return;
    }
    S next;
    try {
      next = AgentJson.read(json, stateType);
      if (next == null) {
        throw new IllegalArgumentException("a null state");
      }
      validateStateChange(next, Optional.of(connection));
    } catch (RuntimeException e) {
      connection.sendIfOpen(Frames.stateError("State update rejected"));
      return;
    }
    store(next, Optional.of(connection));
  }

  /** Sets the one alarm from the schedules and the fibers. */
  private void armAlarm() {
    schedules.arm();
  }

  /**
   * Once per instance, makes sure the alarm is set when schedules are pending: after the
   * runtime gave up retrying a failing schedule, the next event arms it again.
   */
  private void checkAlarm() {
    if (!alarmChecked) {
      alarmChecked = true;
      schedules.arm();
    }
  }

  private void withCaller(Connection connection, Handler handler) throws Exception {
    caller.set(connection);
    try {
      handler.run();
    } finally {
      caller.remove();
    }
  }

  @FunctionalInterface
  private interface Handler {
    void run() throws Exception;
  }
}
