package dev.durable.internal.storage.tools;

import dev.durable.DurableObjectId;
import dev.durable.ListOptions;
import dev.durable.SqlException;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import dev.durable.internal.storage.StorageException;
import dev.durable.internal.storage.sql.SqlStatements;
import dev.durable.runtime.ObjectTools;
import dev.durable.runtime.ObjectView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConnection;

/**
 * {@link ObjectView} over one object's storage and database (or a {@link Scratch}'s), for a
 * tool's visit inside the object's gate; {@code stored} and {@code live} as the object is.
 */
public record StoredObjectView(DurableObjectId id, ObjectStorage storage, ObjectDatabase db,
    boolean stored, boolean live) implements ObjectView {
  private static final Pattern OFFSET = Pattern.compile(" at offset (\\d+): SQLITE_");

  @Override
  public List<ObjectTools.Table> tables() {
    return query("Reading the tables", () -> TableQueries.tables(db.connection()));
  }

  @Override
  public long rowCount(ObjectTools.Table table) {
    return query("Counting the rows of " + table.name(), () -> TableQueries.count(db.connection(), table));
  }

  @Override
  public void readRows(ObjectTools.Table table, boolean storedColumnsOnly, RowReader reader)
      throws Exception {
    TableQueries.readRows(db.connection(), table, storedColumnsOnly, reader);
  }

  @Override
  public List<String> schemaAfterTables(Collection<String> tables) {
    return query("Reading the schema", () -> TableQueries.schemaAfterTables(db.connection(), tables));
  }

  @Override
  public List<ObjectTools.PlanStep> queryPlan(String sql, Object... params) {
    List<SqlStatements.Statement> statements = SqlStatements.split(sql);
    if (statements.size() != 1) {
      throw new IllegalArgumentException("expected exactly one statement to explain, got " + statements.size());
    }
    SqlStatements.Statement statement = statements.get(0);
    String prefix = "EXPLAIN QUERY PLAN ";
    try {
      return storage.sql().exec(prefix + statement.text(), params).raw().stream()
          .map(step -> new ObjectTools.PlanStep(((Number) step[0]).longValue(),
              ((Number) step[1]).longValue(), String.valueOf(step[3]))).toList();
    } catch (SqlException e) {
      throw new SqlException(shiftOffset(e.getMessage(), statement.offset() - prefix.length()), e.code(), e);
    }
  }

  /** Error offsets count from the start of what the user wrote, not of the statement we ran. */
  private static String shiftOffset(String message, int shift) {
    Matcher m = OFFSET.matcher(message);
    if (!m.find()) {
      return message;
    }
    long offset = Math.max(0, Long.parseLong(m.group(1)) + shift);
    return message.substring(0, m.start(1)) + offset + message.substring(m.end(1));
  }

  @Override
  public long entryCount() {
    return storage.entryCount();
  }

  @Override
  public List<ObjectTools.Entry> entries(ListOptions options) {
    return storage.storedEntries(options);
  }

  @Override
  public List<String> entriesAsSql() {
    List<String> out = new ArrayList<>();
    out.add("CREATE TABLE IF NOT EXISTS \"_cf_KV\" (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
    for (ObjectTools.Entry e : entries(ListOptions.all())) {
      out.add("INSERT INTO \"_cf_KV\" VALUES('" + e.key().replace("'", "''") + "',X'"
          + HexFormat.of().formatHex(e.value()) + "')");
    }
    return out;
  }

  @Override
  public Optional<byte[]> value(String key) {
    return storage.storedValue(key);
  }

  @Override
  public void putValue(String key, byte[] value) {
    storage.putStoredValue(key, value);
  }

  @Override
  public long fileBytes() {
    Path file = db.file();
    if (file == null) {
      return 0;
    }
    long total = 0;
    for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
      try {
        total += Files.exists(p) ? Files.size(p) : 0;
      } catch (IOException e) {
        // Deleted between the check and the size: it no longer counts.
      }
    }
    return total;
  }

  /**
   * Through SQLite's backup API, from the object's own connection: the database is locked by it
   * while open, and this copies what the visit sees.
   */
  @Override
  public void copyDatabaseTo(Path file) {
    storage.sync();
    query("Copying the database to " + file, () -> {
      int rc = ((SQLiteConnection) db.connection()).getDatabase().backup("main", file.toString(), null);
      if (rc != 0) {
        throw new SQLException("SQLite error " + rc + " while copying the database to " + file);
      }
      return null;
    });
  }

  private interface Query<T> {
    T run() throws SQLException;
  }

  /** Runs a query of storage's own, reporting its failure as storage's. */
  private static <T> T query(String what, Query<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw new StorageException(what + " failed: " + e.getMessage(), e);
    }
  }
}
