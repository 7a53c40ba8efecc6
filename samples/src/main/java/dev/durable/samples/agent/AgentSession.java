package dev.durable.samples.agent;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.agents.Agent;
import dev.durable.agents.Fiber;
import dev.durable.agents.FiberContext;
import dev.durable.agents.FiberRecovery;
import dev.durable.agents.NewMessage;
import dev.durable.agents.Session;
import dev.durable.agents.Sessions;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * An AI-agent session on the agents library's three primitives: the conversation is a tree of
 * messages in {@link Sessions} (full-text searchable), each run is a fiber, and a
 * {@link Researcher} sub-agent keeps notes of the answers in its own SQLite.
 *
 * <p><b>A run is a fiber.</b> Posting a message appends it, records a run and schedules
 * {@code continueRun} for now. That runs the run as the fiber {@code run-<id>}: ask the
 * {@link Model} for the next step, run its tool, append the tool's output under the run's latest
 * message and stash the run's position, until the model answers. Writes are committed before
 * every wait on I/O (a fetch, the researcher), so a crash, a failed commit or an eviction loses
 * at most the step in flight; {@link #onFiberRecovered} resumes the run from its last stash. A
 * {@code wait} step is a schedule: the fiber ends and {@code continueRun} picks the run up when
 * it is due, from the messages, so no thread sleeps and a restart meanwhile changes nothing.
 *
 * <ul>
 *   <li>{@code POST /agents/{session}/messages} with {@code {"text": "...", "parentId": 3}}: 202,
 *       the stored message and its run. {@code parentId} defaults to the newest message; naming an
 *       earlier one forks the conversation there.
 *   <li>{@code GET /agents/{session}/runs/{id}}: a run's status, steps and answer.
 *   <li>{@code GET /agents/{session}/runs/{id}/events}: the same as server-sent events, one
 *       {@code step} per step and an {@code answer} as they happen, then {@code done} with the run.
 *   <li>{@code GET /agents/{session}/messages}: the whole tree, by id.
 *   <li>{@code GET /agents/{session}/messages/{id}}: a message, its branch (root first) and the
 *       ids of its children.
 *   <li>{@code GET /agents/{session}/search?q=words}: full-text search over the session.
 * </ul>
 */
public class AgentSession extends Agent<Void> {
  static final int MAX_TEXT_CHARS = 10_000;
  /** A run that has not answered after this many steps is stopped as failed. */
  static final int MAX_STEPS = 8;
  /** A step that throws is tried this many times, 2, 4, 8 and 16 seconds apart; then its run fails. */
  static final int MAX_ATTEMPTS = 5;
  private static final String FIBER = "run-";
  private static final String NEW_MESSAGE = "{\"text\": \"What is 12 * 7?\"}";

  /** A message as posted. */
  record Post(String text, Long parentId) {}

  /** A row of the runs table. */
  record Run(long id, long promptId, String status, String error, int failures) {}

  /** A step of a run as clients see it. */
  record Step(String tool, String input, String output) {}

  /** A search hit as clients see it. */
  record Match(long id, String role, String snippet) {}

  /** A run's checkpoint: its latest message, the steps taken, and its answer once it has one. */
  record Progress(long tipId, int steps, String answer) {}

  private final Sessions sessions;
  private final RunEvents events = new RunEvents();

  /** Called by the runtime; makes the runs table on first use. */
  public AgentSession(DurableObjectState ctx, Env env) {
    super(ctx, env, Void.class);
    this.sessions = sessions();
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS runs(
          id INTEGER PRIMARY KEY,
          prompt_id INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
          error TEXT,
          failures INTEGER NOT NULL DEFAULT 0)""");
  }

  /** Posts messages and reads the tree, runs and search; see the class documentation. */
  @Override
  protected Response onRequest(Request request) {
    try {
      List<String> path = Http.segments(request);
      String area = path.size() > 2 ? path.get(2) : "";
      String method = request.method();
      if (area.equals("messages") && path.size() == 3) {
        return switch (method) {
          case "POST" -> Http.json(202, post(Http.readJson(request, Post.class, NEW_MESSAGE)));
          case "GET" -> Response.json(Map.of("messages", all()));
          default -> throw HttpError.methodNotAllowed(method, request.path(), "GET, POST");
        };
      }
      if (!method.equals("GET")) {
        throw HttpError.methodNotAllowed(method, request.path(), "GET");
      }
      if (area.equals("messages") && path.size() == 4) {
        return Response.json(messageWithBranch(number("message", path.get(3))));
      }
      if (area.equals("runs") && path.size() == 4) {
        long id = number("run", path.get(3));
        failIfAbandoned(run(id));
        return Response.json(view(run(id)));
      }
      if (area.equals("runs") && path.size() == 5 && path.get(4).equals("events")) {
        Run run = run(number("run", path.get(3)));
        return events.open(run.id(), runMessages(run.id()), run.status().equals("running"), view(run));
      }
      if (area.equals("search") && path.size() == 3) {
        return Response.json(search(request.query("q")));
      }
      throw HttpError.notFound("No route " + request.path() + "; a session has /messages, /messages/{id},"
          + " /runs/{id}, /runs/{id}/events and /search?q=");
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  /**
   * Works on a run, from a schedule: as a new fiber from where its messages say it is. Does
   * nothing for a run that ended, waits for a later schedule, or has its fiber still running
   * (being recovered); so a schedule delivered twice is harmless.
   */
  public void continueRun(long runId) throws Exception {
    Run run = run(runId);
    boolean later = getSchedules().stream().anyMatch(s -> s.callback().equals("continueRun")
        && s.payload().asLong() == runId && s.time().isAfter(ctx.now()));
    boolean running = listFibers().stream().anyMatch(f -> f.name().equals(FIBER + runId)
        && f.state() == Fiber.State.RUNNING);
    if (run.status().equals("running") && !later && !running && !failIfAbandoned(run)) {
      attempt(run, () -> runFiber(FIBER + runId, fiber -> work(fiber, run)));
    }
  }

  /**
   * Fails a run whose latest fiber the library gave up on (interrupted again after
   * {@link FiberRecovery#MAX_RECOVERIES} recoveries, say a step that crashes the process every
   * time); returns whether it did. Starting it again would crash again.
   */
  private boolean failIfAbandoned(Run run) {
    Optional<Fiber> abandoned = listFibers().stream().filter(f -> f.name().equals(FIBER + run.id()))
        .reduce((a, b) -> b)
        .filter(f -> f.state() == Fiber.State.FAILED && f.recoveries() >= FiberRecovery.MAX_RECOVERIES);
    if (run.status().equals("running") && abandoned.isPresent()) {
      finish(run.id(), "failed", "the run was interrupted " + abandoned.get().recoveries()
          + " times while it worked on step " + (progress(run.id()).steps() + 1));
      return true;
    }
    return false;
  }

  /** Resumes an interrupted run from the position it last stashed. */
  @Override
  protected void onFiberRecovered(FiberRecovery recovery) throws Exception {
    if (recovery.name().startsWith(FIBER)) {
      Run run = run(Long.parseLong(recovery.name().substring(FIBER.length())));
      attempt(run, () -> recovery.resume(fiber -> work(fiber, run)));
    }
  }

  /**
   * The model the runs use: the deterministic {@link RuleBasedModel}. A subclass bound in its
   * place can bring another, e.g. one that calls a real model's API through {@code ctx.fetch}.
   */
  protected Model model() {
    return new RuleBasedModel();
  }

  private Map<String, Object> post(Post request) {
    String text = request.text();
    if (text == null || text.isBlank()) {
      throw HttpError.badRequest("\"text\" is missing or empty; send " + NEW_MESSAGE);
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw HttpError.badRequest("\"text\" has " + text.length() + " characters; the limit is " + MAX_TEXT_CHARS);
    }
    Long parentId = request.parentId();
    if (parentId != null && sessions.message(parentId.toString()).isEmpty()) {
      throw HttpError.badRequest("\"parentId\" " + parentId + " is not a message of this session;"
          + " leave it out to continue from the newest message");
    }
    String session = conversation().orElseGet(() -> sessions.create("conversation")).id();
    if (parentId == null) {
      parentId = sessions.latestLeaf(session).map(m -> Long.parseLong(m.id())).orElse(null);
    }
    long runId = (Long) ctx.storage().sql().exec("SELECT coalesce(max(id), 0) + 1 AS id FROM runs").one().get("id");
    Message prompt = append(parentId, NewMessage.user(text), runId, Map.of());
    ctx.storage().sql().exec("INSERT INTO runs(id, prompt_id, status) VALUES (?, ?, 'running')", runId, prompt.id());
    schedule(Duration.ZERO, "continueRun", runId);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("message", prompt);
    result.put("run", view(run(runId)));
    return result;
  }

  /** The run from its checkpoint on: one step per turn of the loop, each appended and stashed. */
  private Void work(FiberContext fiber, Run run) {
    Progress at = fiber.snapshot(Progress.class).orElseGet(() -> progress(run.id()));
    while (at.answer() == null) {
      if (at.steps() >= MAX_STEPS) {
        finish(run.id(), "failed", "no answer after " + MAX_STEPS + " steps");
        return null;
      }
      Model.Step next = model().next(sessions.branch(Long.toString(at.tipId())).stream().map(Message::of).toList());
      Message m = switch (next) {
        case Model.Step.Answer answer -> append(at.tipId(), NewMessage.assistant(answer.text()), run.id(), Map.of());
        case Model.Step.UseTool call -> append(at.tipId(), NewMessage.tool(tools().run(call, run.id(),
            at.steps() + 1, run.promptId())), run.id(), Map.of("tool", call.tool(), "input", call.input()));
      };
      at = new Progress(m.id(), at.steps() + 1, m.role().equals("assistant") ? m.content() : null);
      ctx.storage().sql().exec("UPDATE runs SET failures = 0 WHERE id = ?", run.id());
      fiber.stash(at);
      events.announce(run.id(), m);
      if (at.answer() != null) {
        finish(run.id(), "done", null);
      }
      OptionalInt wait = "wait".equals(m.tool()) ? Tools.waitSeconds(m.input()) : OptionalInt.empty();
      if (wait.isPresent()) {
        schedule(Duration.ofSeconds(wait.getAsInt()), "continueRun", run.id()); // the fiber ends; no thread sleeps
        return null;
      }
    }
    researcher().note(run.id(), at.answer()); // after a crash here, the resumed fiber reports it again
    return null;
  }

  /**
   * Runs a step attempt; if it throws, tries again later with a growing delay, or after
   * {@link #MAX_ATTEMPTS} fails the run. A step that fails leaves no message behind.
   */
  private void attempt(Run run, Callable<?> body) throws Exception {
    try {
      body.call();
    } catch (Exception e) {
      int failures;
      try {
        failures = run(run.id()).failures() + 1;
      } catch (IllegalStateException instanceGone) {
        throw e; // evicted or reset while the step waited: the next instance recovers the run
      }
      if (failures >= MAX_ATTEMPTS) {
        finish(run.id(), "failed", "step " + (progress(run.id()).steps() + 1) + " failed " + failures
            + " times, last: " + e.getMessage());
      } else {
        ctx.storage().sql().exec("UPDATE runs SET failures = ? WHERE id = ?", failures, run.id());
        schedule(Duration.ofSeconds(1L << failures), "continueRun", run.id());
      }
    }
  }

  /** Where a run stands according to its messages: what a new fiber of the run starts from. */
  private Progress progress(long runId) {
    List<Message> mine = runMessages(runId);
    Message last = mine.getLast();
    return new Progress(last.id(), mine.size() - 1, last.role().equals("assistant") ? last.content() : null);
  }

  /** Ends a run, and the event streams of those watching it with a {@code done} event. */
  private void finish(long runId, String status, String error) {
    ctx.storage().sql().exec("UPDATE runs SET status = ?, error = ? WHERE id = ?", status, error, runId);
    if (events.watched(runId)) {
      events.end(runId, view(run(runId)));
    }
  }

  private Tools tools() {
    return new Tools(ctx, sessions, conversation().orElseThrow().id(), this::researcher);
  }

  private ResearcherApi researcher() {
    return subAgent(Researcher.class, "researcher", ResearcherApi.class);
  }

  /** Appends a message numbered one after the newest, its run and tool in its metadata. */
  private Message append(Long parentId, NewMessage message, long runId, Map<String, String> tool) {
    String session = conversation().orElseThrow().id();
    long id = sessions.messageCount(session) + 1;
    Map<String, Object> metadata = new LinkedHashMap<>(tool);
    metadata.put("runId", runId);
    return Message.of(sessions.append(session, parentId == null ? null : parentId.toString(),
        message.withId(Long.toString(id)).withMetadata(metadata)));
  }

  /** The one session of {@link Sessions} that holds this object's conversation, once it has begun. */
  private Optional<Session> conversation() {
    return sessions.list().stream().findFirst();
  }

  private List<Message> all() {
    return conversation().map(s -> sessions.messages(s.id()).stream().map(Message::of).toList()).orElse(List.of());
  }

  private List<Message> runMessages(long runId) {
    return all().stream().filter(m -> m.runId() != null && m.runId() == runId).toList();
  }

  private Map<String, Object> messageWithBranch(long id) {
    String key = Long.toString(id);
    Message message = sessions.message(key).map(Message::of).orElseThrow(() ->
        HttpError.notFound("No message " + id + " in this session"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("message", message);
    v.put("branch", sessions.branch(key).stream().map(Message::of).toList());
    v.put("children", sessions.children(key).stream().map(m -> Long.parseLong(m.id())).toList());
    return v;
  }

  private Map<String, Object> search(String q) {
    String query = Sessions.allWords(q);
    if (query.isEmpty()) {
      throw HttpError.badRequest("Say what to look for: ?q=words (letters or digits)");
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("query", q);
    v.put("matches", conversation().map(s -> sessions.search(s.id(), query)).orElse(List.of()).stream()
        .map(h -> new Match(Long.parseLong(h.messageId()), h.role(), h.snippet())).toList());
    return v;
  }

  /** A run as clients see it: its steps as tool calls with their outputs, and its answer. */
  private Map<String, Object> view(Run run) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", run.id());
    v.put("status", run.status());
    v.put("promptId", run.promptId());
    List<Message> mine = runMessages(run.id());
    v.put("steps", mine.stream().filter(m -> m.role().equals("tool"))
        .map(m -> new Step(m.tool(), m.input(), m.content())).toList());
    mine.stream().filter(m -> m.role().equals("assistant")).findFirst().ifPresent(answer -> {
      v.put("answerId", answer.id());
      v.put("answer", answer.content());
    });
    if (run.error() != null) {
      v.put("error", run.error());
    }
    return v;
  }

  private Run run(long id) {
    return ctx.storage().sql().exec("SELECT id, prompt_id, status, error, failures FROM runs WHERE id = ?", id)
        .toList().stream().findFirst()
        .map(r -> new Run((Long) r.get("id"), (Long) r.get("prompt_id"), (String) r.get("status"),
            (String) r.get("error"), ((Long) r.get("failures")).intValue()))
        .orElseThrow(() -> HttpError.notFound("No run " + id + " in this session"));
  }

  private static long number(String what, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw HttpError.notFound("No " + what + " '" + text + "'; " + what + " ids are numbers");
    }
  }
}
