package dev.durable.explorer;

import dev.durable.AlarmInfo;
import dev.durable.DurableObject;
import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Durable Object classes the explorer tests browse. */
final class TestObjects {
  private TestObjects() {}

  public interface NotesApi {
    long add(String title);

    String titleOf(long id);

    /** Signals {@link Notes#entered}, waits for {@link Notes#release}, then reads a title. */
    String holdThenRead(long id) throws InterruptedException;

    void fail(String message);

    /** The key-value entry as the object itself reads it. */
    Object valueOf(String key);
  }

  /** Notes in a SQL table; counts constructions so tests can tell whether it was woken. */
  public static class Notes extends DurableObject implements NotesApi {
    static final AtomicInteger constructed = new AtomicInteger();
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    public Notes(DurableObjectState ctx, Env env) {
      super(ctx, env);
      constructed.incrementAndGet();
    }

    private void schema() {
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY,"
          + " title TEXT NOT NULL, body BLOB, score REAL)");
    }

    @Override
    public long add(String title) {
      schema();
      return (Long) ctx.storage().sql().exec("INSERT INTO notes (title) VALUES (?) RETURNING id", title)
          .one().get("id");
    }

    @Override
    public String titleOf(long id) {
      schema();
      var rows = ctx.storage().sql().exec("SELECT title FROM notes WHERE id = ?", id).toList();
      return rows.isEmpty() ? null : (String) rows.get(0).get("title");
    }

    @Override
    public String holdThenRead(long id) throws InterruptedException {
      entered.countDown();
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the object");
      }
      return titleOf(id);
    }

    @Override
    public void fail(String message) {
      throw new IllegalStateException(message);
    }

    @Override
    public Object valueOf(String key) {
      return ctx.storage().get(key).orElse(null);
    }

    @Override
    public Response fetch(Request request) {
      return Response.builder(201).header("content-type", "text/plain;charset=UTF-8")
          .header("x-seen-method", request.method())
          .body(request.method() + " " + request.path() + " " + request.text()).build();
    }

    @Override
    public void alarm(AlarmInfo info) {
      ctx.storage().put("alarmed", info.scheduledTime().toString());
    }
  }

  /** A class without an alarm handler (setting its alarm is refused). */
  public static class Plain extends DurableObject {
    public Plain(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }
  }

  /** RPC through the explorer into an object whose constructor throws. */
  public interface UnbuildableApi {
    /** Never runs: the object cannot be built. */
    String list();
  }

  /** A class whose constructor always throws. */
  public static class Unbuildable extends DurableObject implements UnbuildableApi {
    public Unbuildable(DurableObjectState ctx, Env env) {
      super(ctx, env);
      throw new IllegalStateException("no inventory file");
    }

    @Override
    public String list() {
      return "never";
    }
  }
}
