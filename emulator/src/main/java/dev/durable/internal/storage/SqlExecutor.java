package dev.durable.internal.storage;

import dev.durable.SqlCursor;
import dev.durable.SqlException;
import dev.durable.SqlStorage;
import dev.durable.internal.storage.sql.SqlPolicy;
import dev.durable.internal.storage.sql.SqlStatements;
import dev.durable.internal.storage.sql.SqliteErrors;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs user SQL with Cloudflare's rules: refused statements are caught before SQLite sees them,
 * several statements run in order with the last one's result returned, and a failing call leaves
 * the database as it was.
 */
public final class SqlExecutor implements SqlStorage {
  private final ObjectDatabase db;
  private final TurnGuard guard;

  SqlExecutor(ObjectDatabase db, TurnGuard guard) {
    this.db = db;
    this.guard = guard;
  }

  @Override
  public SqlCursor exec(String sql, Object... bindings) {
    guard.check();
    if (sql == null) {
      throw new IllegalArgumentException("SQL statement must not be null");
    }
    if (sql.length() > ObjectDatabase.MAX_SQL_LENGTH) {
      throw new SqlException("statement too long: SQLITE_TOOBIG", "SQLITE_TOOBIG", null);
    }
    int nul = sql.indexOf('\0');
    if (nul >= 0) {
      // SQLite stops reading at a NUL: the rest would be dropped without a word, and a text that
      // starts with one prepares as an empty statement, which then breaks closing the database.
      throw new SqlException("SQL text contains a NUL character at offset " + nul
          + "; pass such values as bound parameters: SQLITE_ERROR", "SQLITE_ERROR", null);
    }
    Object[] args = bindings == null ? new Object[] {null} : bindings;
    List<SqlStatements.Statement> statements = SqlStatements.split(sql);
    for (SqlStatements.Statement st : statements) {
      SqlPolicy.check(st);
    }
    if (statements.isEmpty()) {
      if (args.length > 0) {
        throw wrongBindings();
      }
      return new ResultCursor(List.of(), List.of(), 0, 0);
    }
    if (statements.size() == 1) {
      // A savepoint even for one statement: with FAIL conflict resolution (OR FAIL, a table's
      // ON CONFLICT FAIL, RAISE(FAIL) in a trigger) SQLite keeps what a failing statement had
      // changed so far, and a failed call must leave the database as it was.
      return db.inSavepoint(() -> run(statements.get(0), args, true));
    }
    return runAtomically(statements, args);
  }

  @Override
  public long databaseSize() {
    guard.check();
    try {
      return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
    } catch (SQLException e) {
      throw new StorageException("databaseSize failed: " + e.getMessage(), e);
    }
  }

  /** Several statements: the savepoint makes the call all-or-nothing. */
  private SqlCursor runAtomically(List<SqlStatements.Statement> statements, Object[] args) {
    return db.inSavepoint(() -> {
      long read = 0;
      long written = 0;
      ResultCursor last = null;
      for (int i = 0; i < statements.size(); i++) {
        boolean isLast = i == statements.size() - 1;
        last = run(statements.get(i), isLast ? args : new Object[0], isLast);
        read += last.rowsRead();
        written += last.rowsWritten();
      }
      return new ResultCursor(last.columnNames(), last.rawRows(), read, written);
    });
  }

  private ResultCursor run(SqlStatements.Statement st, Object[] args, boolean isLast) {
    try {
      PreparedStatement ps = db.prepare(st.text());
      int expected = ps.getParameterMetaData().getParameterCount();
      if (expected != args.length) {
        throw isLast ? wrongBindings() : new SqlException(
            "Only the last statement of a multi-statement query may have parameter bindings.",
            "SQLITE_ERROR", null);
      }
      for (int i = 0; i < args.length; i++) {
        bind(ps, i + 1, args[i]);
      }
      long changesBefore = db.totalChanges();
      List<String> columns = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      db.watch().begin(); // a runaway statement must not hold the object's gate for ever
      try {
        execute(ps, columns, rows);
      } catch (SQLException e) {
        String stopped = db.watch().end();
        if (stopped != null) {
          db.forgetStatement(st.text());
          throw new SqlException("SQL statement stopped: " + stopped + ": SQLITE_INTERRUPT",
              "SQLITE_INTERRUPT", e);
        }
        throw e;
      } finally {
        db.watch().end();
      }
      long written = db.totalChanges() - changesBefore;
      return new ResultCursor(columns, rows, rows.size(), written);
    } catch (SQLException e) {
      db.forgetStatement(st.text());
      String message = SqliteErrors.message(e, st.text());
      throw new SqlException(message, SqliteErrors.primaryCode(e), e);
    }
  }

  private static void execute(PreparedStatement ps, List<String> columns, List<Object[]> rows)
      throws SQLException {
    if (!ps.execute()) {
      return;
    }
    try (ResultSet rs = ps.getResultSet()) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      for (int c = 1; c <= n; c++) {
        columns.add(md.getColumnLabel(c));
      }
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int c = 1; c <= n; c++) {
          row[c - 1] = value(rs, c);
        }
        rows.add(row);
      }
    }
  }

  /** A column's value as the SQL API returns it: INTEGER as Long, REAL, TEXT, BLOB or null. */
  public static Object value(ResultSet rs, int column) throws SQLException {
    Object v = rs.getObject(column);
    return v instanceof Integer i ? Long.valueOf(i) : v;
  }

  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    switch (value) {
      case null -> ps.setNull(index, java.sql.Types.NULL);
      case String s -> ps.setString(index, s);
      case Long l -> ps.setLong(index, l);
      case Integer i -> ps.setLong(index, i);
      case Short s -> ps.setLong(index, s);
      case Byte b -> ps.setLong(index, b);
      case Double d -> ps.setDouble(index, d);
      case Float f -> ps.setDouble(index, f);
      case Boolean b -> ps.setLong(index, b ? 1 : 0);
      case byte[] bytes -> ps.setBytes(index, bytes);
      case BigInteger big when big.bitLength() < 64 -> ps.setLong(index, big.longValue());
      case BigDecimal dec -> ps.setDouble(index, dec.doubleValue());
      default -> throw new IllegalArgumentException("SQL binding " + index + " has unsupported type "
          + value.getClass().getName() + "; use null, String, a number, Boolean or byte[]");
    }
  }

  private long pragma(String name) throws SQLException {
    try (ResultSet rs = db.prepare("PRAGMA " + name).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static SqlException wrongBindings() {
    return new SqlException("Wrong number of parameter bindings for SQL query.", "SQLITE_RANGE", null);
  }
}
