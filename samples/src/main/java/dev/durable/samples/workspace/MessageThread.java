package dev.durable.samples.workspace;

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
 * One thread of a {@link Workspace}: its messages in its own SQLite table. The workspace creates
 * it and deletes it; messages come straight from the worker, without passing through the
 * workspace, so a busy thread never slows its workspace or its siblings down.
 *
 * <p>Each thread is the object named {@code {workspace}/{id}} of the {@code THREAD} binding. A
 * thread the workspace never created (or already deleted) has no info and answers 404, and
 * storing nothing for it keeps stray requests from leaving objects behind.
 *
 * <ul>
 *   <li>{@code GET /workspaces/{ws}/threads/{id}}: the thread and its message count.
 *   <li>{@code POST /workspaces/{ws}/threads/{id}/messages} with {@code {"author": "ada", "text":
 *       "..."}}: 201 and the stored message.
 *   <li>{@code GET /workspaces/{ws}/threads/{id}/messages}: every message, oldest first.
 * </ul>
 */
public class MessageThread extends DurableObject implements ThreadApi {
  static final int MAX_TEXT_CHARS = 10_000;
  private static final String INFO = "info";
  private static final String NEW_MESSAGE = "{\"author\": \"ada\", \"text\": \"Hello\"}";

  /** A message as posted. */
  record NewMessage(String author, String text) {}

  /** Called by the runtime; the table is made by {@link #create}, not here. */
  public MessageThread(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  /** The name of the object holding a workspace's thread. */
  public static String objectName(String workspace, String threadId) {
    return workspace + "/" + threadId;
  }

  @Override
  public ThreadInfo create(ThreadInfo thread) {
    Optional<ThreadInfo> existing = info();
    if (existing.isPresent()) {
      if (!existing.get().equals(thread)) {
        throw new IllegalStateException("Thread " + objectName(thread.workspace(), thread.id())
            + " already exists as " + existing.get());
      }
      return existing.get();
    }
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS messages(
          seq INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)""");
    ctx.storage().put(INFO, thread);
    return thread;
  }

  @Override
  public void delete() {
    ctx.storage().deleteAll();
  }

  /** Posts and reads messages; see the class documentation for the routes. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      if (path.size() < 4 || path.size() > 5 || (path.size() == 5 && !path.get(4).equals("messages"))) {
        throw HttpError.notFound("No route " + request.path() + "; a thread has /workspaces/{ws}/threads/{id}"
            + " and /workspaces/{ws}/threads/{id}/messages");
      }
      ThreadInfo thread = info().orElseThrow(() -> HttpError.notFound("No thread " + path.get(3)
          + " in workspace " + path.get(1) + "; list them with GET /workspaces/" + path.get(1) + "/threads"));
      if (path.size() == 4) {
        if (!request.method().equals("GET")) {
          throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, DELETE");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspace", thread.workspace());
        body.put("id", thread.id());
        body.put("title", thread.title());
        body.put("createdAt", thread.createdAt().toString());
        body.put("messages", ctx.storage().sql().exec("SELECT count(*) AS n FROM messages").one().get("n"));
        return Response.json(body);
      }
      return switch (request.method()) {
        case "POST" -> Http.json(201, post(Http.readJson(request, NewMessage.class, NEW_MESSAGE)));
        case "GET" -> Response.json(Map.of("messages",
            ctx.storage().sql().exec("SELECT seq, author, text, at FROM messages ORDER BY seq").toList()));
        default -> throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, POST");
      };
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  private Map<String, Object> post(NewMessage message) {
    String author = Http.name("author", message.author());
    String text = message.text();
    if (text == null || text.isBlank()) {
      throw HttpError.badRequest("\"text\" is missing or empty; send " + NEW_MESSAGE);
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw HttpError.badRequest("\"text\" has " + text.length() + " characters; the limit is " + MAX_TEXT_CHARS);
    }
    return ctx.storage().sql().exec(
        "INSERT INTO messages(author, text, at) VALUES (?, ?, ?) RETURNING seq, author, text, at",
        author, text, Timestamps.now(ctx).toString()).one();
  }

  private Optional<ThreadInfo> info() {
    return ctx.storage().get(INFO, ThreadInfo.class);
  }
}
