package dev.durable;

/**
 * SQL over the object's SQLite database, as Cloudflare's {@code ctx.storage.sql}.
 *
 * <pre>{@code
 * sql.exec("CREATE TABLE IF NOT EXISTS msg(id INTEGER PRIMARY KEY, text TEXT)");
 * sql.exec("INSERT INTO msg(text) VALUES (?)", "hello");
 * long n = (Long) sql.exec("SELECT count(*) AS n FROM msg").one().get("n");
 * }</pre>
 *
 * Bindings may be null, String, any integral number (bound as INTEGER), Double/Float, Boolean
 * (1 or 0) and byte[] (BLOB). Several statements separated by {@code ;} all run; the cursor is
 * the last one's and only the last may take bindings. Statements that Cloudflare refuses are
 * refused here with the same message: transaction control (use
 * {@link DurableObjectStorage#transaction}), ATTACH, TEMP objects, names starting {@code _cf_}
 * and PRAGMAs outside the allow-list.
 */
public interface SqlStorage {
  /** Runs SQL with positional bindings for {@code ?} parameters. */
  SqlCursor exec(String sql, Object... bindings);

  /** The database's size in bytes: (page_count - freelist_count) * page_size. */
  long databaseSize();
}
