package dev.durable.samples.workspace;

import dev.durable.DurableObject;
import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.samples.Http;
import dev.durable.samples.HttpError;
import dev.durable.samples.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent in a parent-child pair: a workspace keeps the registry of its threads in a SQL table
 * and creates one {@link MessageThread} object per thread. Messages go to the threads directly;
 * the workspace is needed only to create, list and delete them.
 *
 * <ul>
 *   <li>{@code POST /workspaces/{ws}/threads} with {@code {"title": "..."}}: 201 and the new
 *       thread, ids {@code t1}, {@code t2}, ... in order of creation.
 *   <li>{@code GET /workspaces/{ws}/threads}: the registry.
 *   <li>{@code DELETE /workspaces/{ws}/threads/{id}}: deletes one thread and its messages.
 *   <li>{@code DELETE /workspaces/{ws}}: deletes every thread ({@code deleteAll} on each), then
 *       the workspace itself.
 * </ul>
 *
 * <p>The registry row is written before the thread is created and removed only after the thread
 * was deleted, so no thread object ever exists that the registry does not know of: a failure
 * half-way through deleting a workspace leaves the remaining threads listed, and deleting again
 * finishes the job.
 */
public class Workspace extends DurableObject {
  static final int MAX_TITLE_CHARS = 200;
  private static final String NEW_THREAD = "{\"title\": \"Launch plan\"}";

  /** A thread as requested. */
  record NewThread(String title) {}

  /**
   * Called by the runtime. The registry table is made with the first thread, so reading a
   * workspace that has none, or one just deleted, stores nothing.
   */
  public Workspace(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  /** Creates, lists and deletes threads; see the class documentation for the routes. */
  @Override
  public Response fetch(Request request) {
    try {
      List<String> path = Http.segments(request);
      if (path.size() < 2 || path.size() > 4 || (path.size() >= 3 && !path.get(2).equals("threads"))) {
        throw HttpError.notFound("No route " + request.path() + "; a workspace has /workspaces/{ws},"
            + " /workspaces/{ws}/threads and /workspaces/{ws}/threads/{id}");
      }
      String workspace = path.get(1);
      if (path.size() == 2) {
        if (!request.method().equals("DELETE")) {
          throw HttpError.methodNotAllowed(request.method(), request.path(), "DELETE");
        }
        return Response.json(deleteWorkspace(workspace));
      }
      if (path.size() == 3) {
        return switch (request.method()) {
          case "POST" -> Http.json(201, createThread(workspace,
              Http.readJson(request, NewThread.class, NEW_THREAD)));
          case "GET" -> Response.json(listing(workspace));
          default -> throw HttpError.methodNotAllowed(request.method(), request.path(), "GET, POST");
        };
      }
      if (!request.method().equals("DELETE")) { // /workspaces/{ws}/threads/{id}
        throw HttpError.methodNotAllowed(request.method(), request.path(), "DELETE");
      }
      return Response.json(Map.of("deleted", deleteThread(workspace, path.get(3))));
    } catch (HttpError e) {
      return e.toResponse();
    }
  }

  private ThreadInfo createThread(String workspace, NewThread request) {
    String title = request.title();
    if (title == null || title.isBlank()) {
      throw HttpError.badRequest("\"title\" is missing or empty; send " + NEW_THREAD);
    }
    if (title.length() > MAX_TITLE_CHARS) {
      throw HttpError.badRequest("\"title\" has " + title.length() + " characters; the limit is "
          + MAX_TITLE_CHARS);
    }
    ctx.storage().sql().exec("""
        CREATE TABLE IF NOT EXISTS threads(
          seq INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, created_at TEXT NOT NULL)""");
    Instant now = Timestamps.now(ctx);
    long seq = (Long) ctx.storage().sql().exec(
        "INSERT INTO threads(title, created_at) VALUES (?, ?) RETURNING seq", title, now.toString())
        .one().get("seq");
    ThreadInfo thread = new ThreadInfo(workspace, "t" + seq, title, now);
    try {
      // The registry row is committed before this call leaves the object (the output gate).
      return thread(workspace, thread.id()).create(thread);
    } catch (DurableObjectException e) {
      ctx.storage().sql().exec("DELETE FROM threads WHERE seq = ?", seq);
      throw HttpError.of(503, "Could not create thread " + thread.id() + " in " + workspace + " ("
          + e.getMessage() + "); nothing was kept, try again");
    }
  }

  private Map<String, Object> listing(String workspace) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("workspace", workspace);
    v.put("threads", threads(workspace));
    return v;
  }

  private List<ThreadInfo> threads(String workspace) {
    if (!hasRegistry()) {
      return List.of();
    }
    return ctx.storage().sql().exec("SELECT seq, title, created_at FROM threads ORDER BY seq").toList()
        .stream().map(row -> toThread(workspace, row)).toList();
  }

  private String deleteThread(String workspace, String id) {
    long seq = seqOf(id);
    if (!hasRegistry()
        || ctx.storage().sql().exec("SELECT seq FROM threads WHERE seq = ?", seq).toList().isEmpty()) {
      throw HttpError.notFound("No thread " + id + " in workspace " + workspace);
    }
    try {
      thread(workspace, id).delete();
    } catch (DurableObjectException e) {
      throw HttpError.of(503, "Could not delete thread " + id + " (" + e.getMessage()
          + "); it is still listed, try again");
    }
    ctx.storage().sql().exec("DELETE FROM threads WHERE seq = ?", seq);
    return id;
  }

  /**
   * Deletes the threads one by one, oldest first, removing each from the registry only once it is
   * gone; a thread created meanwhile (other requests may run while a thread is being deleted) is
   * picked up by the next round.
   */
  private Map<String, Object> deleteWorkspace(String workspace) {
    int deleted = 0;
    while (hasRegistry()) {
      List<Map<String, Object>> next = ctx.storage().sql()
          .exec("SELECT seq FROM threads ORDER BY seq LIMIT 1").toList();
      if (next.isEmpty()) {
        break;
      }
      long seq = (Long) next.get(0).get("seq");
      try {
        thread(workspace, "t" + seq).delete();
      } catch (DurableObjectException e) {
        long left = (Long) ctx.storage().sql().exec("SELECT count(*) AS n FROM threads").one().get("n");
        throw HttpError.of(503, "Deleted " + deleted + " thread(s) of " + workspace + ", then t" + seq
            + " failed (" + e.getMessage() + "); " + left + " thread(s) remain listed, DELETE again to finish");
      }
      ctx.storage().sql().exec("DELETE FROM threads WHERE seq = ?", seq);
      deleted++;
    }
    ctx.storage().deleteAll();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("workspace", workspace);
    result.put("deletedThreads", deleted);
    return result;
  }

  private boolean hasRegistry() {
    return !ctx.storage().sql()
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'threads'").toList().isEmpty();
  }

  private ThreadApi thread(String workspace, String id) {
    return env.durableObject("THREAD").getByName(MessageThread.objectName(workspace, id), ThreadApi.class);
  }

  private static long seqOf(String id) {
    if (id.matches("t[1-9][0-9]{0,17}")) {
      return Long.parseLong(id.substring(1));
    }
    throw HttpError.notFound("No thread " + id + "; thread ids look like t1, t2, ...");
  }

  private static ThreadInfo toThread(String workspace, Map<String, Object> row) {
    return new ThreadInfo(workspace, "t" + row.get("seq"), (String) row.get("title"),
        Instant.parse((String) row.get("created_at")));
  }
}
