package dev.durable.samples.agent;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import dev.durable.samples.Timestamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AI-agent session: a conversation kept as a tree of messages in SQLite, searchable with
 * FTS5, and runs that answer each user message in several steps.
 *
 * <p><b>Runs are driven by the alarm, one step per alarm.</b> Posting a message stores it, records
 * a run and sets the alarm for now. Each alarm asks the {@link Model} for the next step of the
 * oldest running run, runs the tool it asks for, and stores the result as the next message of the
 * run's branch together with the run's new position: one commit, the checkpoint. Then it sets the
 * alarm again until no run is left. So a crash, a failed commit or an eviction between or during
 * steps loses at most the step in flight: the runtime delivers the alarm again (a failed handler
 * is retried after 2, 4, 8, ... seconds; an alarm due while the process was down fires at
 * start-up) and the run resumes from its last checkpoint. A finished step is never run again,
 * because the model sees its output in the branch and asks for the next one.
 *
 * <ul>
 *   <li>{@code POST /agents/{session}/messages} with {@code {"text": "...", "parentId": 3}}: 202,
 *       the stored message and its run. {@code parentId} defaults to the newest message; naming an
 *       earlier one forks the conversation there.
 *   <li>{@code GET /agents/{session}/runs/{id}}: a run's status, steps and answer.
 *   <li>{@code GET /agents/{session}/messages}: the whole tree, by id.
 *   <li>{@code GET /agents/{session}/messages/{id}}: a message, its branch (root first) and the
 *       ids of its children.
 *   <li>{@code GET /agents/{session}/search?q=words}: full-text search over the session.
 * </ul>
 */
public class AgentSession extends DurableObject {
  static final int MAX_TEXT_CHARS = 10_000;
  /** A run that has not answered after this many steps is stopped as failed. */
  static final int MAX_STEPS = 8;
  /** A step that throws is retried by the runtime this many times, then its run fails. */
  static final int MAX_STEP_RETRIES = 4;
  private static final String NEW_MESSAGE = "{\"text\": \"What is 12 * 7?\"}";

  /** A message as posted. */
  record NewMessage(String text, Long parentId) {}

  /** A row of the runs table. */
  record Run(long id, long promptId, long tipId, String status, int steps, Long answerId,
      String error, String startedAt, String finishedAt) {}

  private final Conversation conversation;
  private final Tools tools;

  /** Called by the runtime; makes the tables on first use. */
  public AgentSession(DurableObjectState ctx, Env env) {
    super(ctx, env);
    this.conversation = new Conversation(ctx.storage().sql());
    this.tools = new Tools(ctx, conversation);
    conversation.createSchema();
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS runs(
          id INTEGER PRIMARY KEY,
          prompt_id INTEGER NOT NULL REFERENCES messages(id),
          tip_id INTEGER NOT NULL REFERENCES messages(id),
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
          steps INTEGER NOT NULL DEFAULT 0,
          answer_id INTEGER REFERENCES messages(id),
          error TEXT,
          started_at TEXT NOT NULL,
          finished_at TEXT)""");
  }

  /** Posts messages and reads the tree, runs and search; see the class documentation. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      String area = path.size() > 2 ? path.get(2) : "";
      String method = request.method();
      if (area.equals("messages") && path.size() == 3) {
        return switch (method) {
          case "POST" -> Http.json(202, post(Http.readJson(request, NewMessage.class, NEW_MESSAGE)));
          case "GET" -> Response.json(Map.of("messages", conversation.all()));
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
        resumeStalledRuns();
        return Response.json(view(run(number("run", path.get(3)))));
      }
      if (area.equals("search") && path.size() == 3) {
        return Response.json(search(request.query("q")));
      }
      throw HttpError.notFound("No route " + request.path() + "; a session has /messages, /messages/{id},"
          + " /runs/{id} and /search?q=");
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  /** Runs one step of the oldest running run, then sets the alarm again while runs are left. */
  @Override
  public void alarm(AlarmInfo info) {
    Optional<Run> run = oldestRunning();
    if (run.isEmpty()) {
      return;
    }
    // No other event may start a step of the same run while a tool waits on the network. A
    // failing step leaves nothing behind (its transaction), and its failure is returned, not
    // thrown, since a throwing callback would reset the object.
    RuntimeException failure = ctx.blockConcurrencyWhile(() -> {
      try {
        ctx.storage().transaction(() -> {
          step(run.get());
          return null;
        });
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    if (failure != null) {
      if (info.retryCount() < MAX_STEP_RETRIES) {
        throw failure; // nothing of this step is kept; the runtime delivers the alarm again later
      }
      finish(run.get(), "failed", null, "step " + (run.get().steps() + 1) + " failed "
          + (info.retryCount() + 1) + " times, last: " + failure.getMessage());
    }
    if (oldestRunning().isPresent()) {
      ctx.storage().setAlarm(Timestamps.now(ctx));
    }
  }

  /**
   * The model the runs use: the deterministic {@link RuleBasedModel}. A subclass bound in its
   * place can bring another, e.g. one that calls a real model's API through {@code ctx.fetch}.
   */
  protected Model model() {
    return new RuleBasedModel();
  }

  private Map<String, Object> post(NewMessage request) {
    String text = request.text();
    if (text == null || text.isBlank()) {
      throw HttpError.badRequest("\"text\" is missing or empty; send " + NEW_MESSAGE);
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw HttpError.badRequest("\"text\" has " + text.length() + " characters; the limit is " + MAX_TEXT_CHARS);
    }
    Long parentId = request.parentId();
    if (parentId != null && conversation.get(parentId).isEmpty()) {
      throw HttpError.badRequest("\"parentId\" " + parentId + " is not a message of this session;"
          + " leave it out to continue from the newest message");
    }
    if (parentId == null) {
      parentId = conversation.newest().map(Message::id).orElse(null);
    }
    long runId = (Long) ctx.storage().sql().exec("SELECT coalesce(max(id), 0) + 1 AS id FROM runs").one().get("id");
    Message prompt = conversation.append(parentId, "user", text, null, null, runId, Timestamps.now(ctx));
    ctx.storage().sql().exec("INSERT INTO runs(id, prompt_id, tip_id, status, started_at) VALUES (?, ?, ?, 'running', ?)",
        runId, prompt.id(), prompt.id(), Timestamps.now(ctx).toString());
    ctx.storage().setAlarm(Timestamps.now(ctx));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("message", prompt);
    result.put("run", view(run(runId)));
    return result;
  }

  /** One step: ask the model, run its tool or take its answer, checkpoint both in one commit. */
  private void step(Run run) {
    if (run.steps() >= MAX_STEPS) {
      finish(run, "failed", null, "no answer after " + MAX_STEPS + " steps");
      return;
    }
    List<Message> branch = conversation.branch(run.tipId());
    Model.Step next = model().next(branch);
    switch (next) {
      case Model.Step.UseTool call -> {
        String output = tools.run(call, run.id(), run.steps() + 1, run.promptId());
        Message m = conversation.append(run.tipId(), "tool", output, call.tool(), call.input(), run.id(), Timestamps.now(ctx));
        ctx.storage().sql().exec("UPDATE runs SET tip_id = ?, steps = steps + 1 WHERE id = ?", m.id(), run.id());
      }
      case Model.Step.Answer answer -> {
        Message m = conversation.append(run.tipId(), "assistant", answer.text(), null, null, run.id(), Timestamps.now(ctx));
        ctx.storage().sql().exec("UPDATE runs SET tip_id = ?, steps = steps + 1 WHERE id = ?", m.id(), run.id());
        finish(run, "done", m.id(), null);
      }
    }
  }

  private void finish(Run run, String status, Long answerId, String error) {
    ctx.storage().sql().exec("UPDATE runs SET status = ?, answer_id = ?, error = ?, finished_at = ? WHERE id = ?",
        status, answerId, error, Timestamps.now(ctx).toString(), run.id());
  }

  /**
   * Sets the alarm again if a run is still running without one: the runtime gives up on an alarm
   * whose handler failed seven times in a row (here, only commits failing that often can do it).
   */
  private void resumeStalledRuns() {
    if (oldestRunning().isPresent() && ctx.storage().getAlarm().isEmpty()) {
      ctx.storage().setAlarm(Timestamps.now(ctx));
    }
  }

  private Map<String, Object> messageWithBranch(long id) {
    Message message = conversation.get(id).orElseThrow(() ->
        HttpError.notFound("No message " + id + " in this session"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("message", message);
    v.put("branch", conversation.branch(id));
    v.put("children", conversation.children(id));
    return v;
  }

  private Map<String, Object> search(String q) {
    if (q == null || Conversation.ftsQuery(q).isEmpty()) {
      throw HttpError.badRequest("Say what to look for: ?q=words (letters or digits)");
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("query", q);
    v.put("matches", conversation.search(q, Long.MAX_VALUE, 20));
    return v;
  }

  /** A run as clients see it: its steps as tool calls with their outputs, and its answer. */
  private Map<String, Object> view(Run run) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", run.id());
    v.put("status", run.status());
    v.put("promptId", run.promptId());
    List<Map<String, Object>> steps = conversation.branch(run.tipId()).stream()
        .filter(m -> m.id() > run.promptId() && m.role().equals("tool"))
        .map(m -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("tool", m.tool());
          s.put("input", m.input());
          s.put("output", m.content());
          return s;
        }).toList();
    v.put("steps", steps);
    if (run.answerId() != null) {
      v.put("answerId", run.answerId());
      v.put("answer", conversation.get(run.answerId()).map(Message::content).orElse(null));
    }
    if (run.error() != null) {
      v.put("error", run.error());
    }
    return v;
  }

  private Run run(long id) {
    return runs("WHERE id = ?", id).stream().findFirst().orElseThrow(() ->
        HttpError.notFound("No run " + id + " in this session"));
  }

  private Optional<Run> oldestRunning() {
    return runs("WHERE status = 'running' ORDER BY id LIMIT 1").stream().findFirst();
  }

  private List<Run> runs(String where, Object... bindings) {
    return ctx.storage().sql().exec("SELECT id, prompt_id, tip_id, status, steps, answer_id, error, started_at,"
        + " finished_at FROM runs " + where, bindings).toList().stream()
        .map(r -> new Run((Long) r.get("id"), (Long) r.get("prompt_id"), (Long) r.get("tip_id"),
            (String) r.get("status"), ((Long) r.get("steps")).intValue(), (Long) r.get("answer_id"),
            (String) r.get("error"), (String) r.get("started_at"), (String) r.get("finished_at")))
        .toList();
  }

  private static long number(String what, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw HttpError.notFound("No " + what + " '" + text + "'; " + what + " ids are numbers");
    }
  }
}
