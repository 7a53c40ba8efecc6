package dev.durable.internal.storage;

import dev.durable.DurableObjectStorage;
import dev.durable.internal.gate.Sneaky;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The SQLite database of one object: opened on first use, closed (WAL checkpointed and removed)
 * on eviction, with a cache of prepared statements.
 *
 * <p>A file database is opened in exclusive locking mode: the connection takes the file's lock on
 * its first read and keeps it until it closes, and SQLite keeps the WAL index in the
 * connection's memory instead of a {@code -shm} file. Only this connection reads and writes an
 * open object's file anyway; without the shared-memory file and the lock calls of every
 * transaction, a fresh object costs half the system calls (154 to 76). Another connection (of
 * this process or another, such as the {@code sqlite3} shell) gets "database is locked" until
 * the object's database closes: when the object is evicted, or the emulator stops (or always,
 * with {@code DurableRuntime.Builder.shareDatabaseFiles}).
 *
 * <p>Transactions are the runtime's: an open transaction is a batch of turns not yet committed;
 * each turn runs inside a savepoint so a failing turn rolls back only its own writes. Only the
 * thread holding the object's gate touches this class, so it needs no locking of its own.
 */
public final class ObjectDatabase implements AutoCloseable, TurnParticipant {
  /** Cloudflare's limits on user SQL. */
  static final int MAX_SQL_LENGTH = 100_000;
  static final int MAX_BOUND_PARAMETERS = 100;
  static final int MAX_COLUMNS = 100;
  static final int MAX_ROW_BYTES = 2 * 1024 * 1024;

  private static final int STATEMENT_CACHE_SIZE = 64;
  private static final String TURN_SAVEPOINT = "durable_turn";

  /** Told when a database opens or closes, so the runtime can bound open files. */
  public interface Tracker {
    /** A tracker told nothing: for a database nobody bounds (a scratch database, a test). */
    Tracker NONE = new Tracker() {};

    /** The database opened a connection. */
    default void opened(ObjectDatabase db) {}

    /** The database closed its connection. */
    default void closed(ObjectDatabase db) {}
  }

  private final Path file;
  private final String objectName;
  private final Tracker tracker;
  private final boolean fsync;
  private final SpareFiles spares;
  private final boolean exclusive;
  private Connection connection;
  private final StatementWatch watch = new StatementWatch();
  private final Map<String, PreparedStatement> statements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() > STATEMENT_CACHE_SIZE) {
            closeQuietly(eldest.getValue());
            return true;
          }
          return false;
        }
      };
  private boolean inTransaction;
  private boolean inTurn;
  private int savepointDepth;
  private String failNextCommit;
  private Runnable beforeTurnSavepoint = () -> {};
  private Runnable onFileCreated = () -> {};
  /** The file was found missing and nothing has created it since; null until looked for. */
  private Boolean uncreated;

  /**
   * @param file the object's {@code <id>.sqlite}, or null to keep the database in memory
   * @param objectName the object's name, recorded in {@code __miniflare_do_name}, or null
   * @param tracker told of opens and closes
   * @param fsync whether commits wait for the disk (survive power loss) or only for the OS
   *     (survive a crash of the process, several times faster)
   * @param spares where the file's {@code -wal} comes from and goes to, or null
   * @param exclusive whether the connection holds the file's lock while open (see the class
   *     comment); false lets other connections read the file meanwhile
   */
  public ObjectDatabase(Path file, String objectName, Tracker tracker, boolean fsync, SpareFiles spares,
      boolean exclusive) {
    this.file = file;
    this.objectName = objectName;
    this.tracker = tracker;
    this.fsync = fsync;
    this.spares = spares;
    this.exclusive = exclusive;
  }

  /** A database without spare files (in memory, or a file of its own), holding its lock. */
  public ObjectDatabase(Path file, String objectName, Tracker tracker, boolean fsync) {
    this(file, objectName, tracker, fsync, null, true);
  }

  /** The file, or null in memory. */
  public Path file() {
    return file;
  }

  /** Whether a connection is open. */
  public boolean isOpen() {
    return connection != null;
  }

  /** Whether the file exists (always true for an open in-memory database). */
  public boolean exists() {
    return file == null ? connection != null : Files.exists(file);
  }

  /**
   * Whether the database is a file not created yet: then it is known to be empty without
   * opening it. Only this object creates its file, so the answer holds until it does.
   */
  boolean isUncreated() {
    if (file == null || connection != null) {
      return false;
    }
    if (uncreated == null) {
      uncreated = !Files.exists(file);
    }
    return uncreated;
  }

  /**
   * Creates the file of a database that has none, holding the object's name and these
   * key-value rows, without opening a connection: the file SQLite would leave after inserting
   * them (see {@link EmptyDatabase}). A fresh object whose first commit is a few small puts
   * skips SQLite's open, its first read of the schema, the commit and the close.
   *
   * @param rows keys and encoded values, in the order they were first written
   * @return false, having written nothing, when the rows do not fit in one page; open and write
   *     them instead
   */
  boolean createWithRows(Map<String, byte[]> rows) {
    if (!isUncreated()) {
      throw new IllegalStateException("createWithRows() on a database that exists: " + file);
    }
    if (failNextCommit != null) {
      return false; // the injected failure belongs to the commit these rows would skip
    }
    try {
      if (!EmptyDatabase.createWithRows(file, objectName, rows, fsync)) {
        return false;
      }
    } catch (IOException e) {
      throw new StorageException("Could not create " + file + ": " + e.getMessage(), e);
    }
    uncreated = false;
    onFileCreated.run();
    return true;
  }

  /** The connection, opening it (and creating the file and internal tables) on first use. */
  public Connection connection() {
    if (connection == null) {
      connection = open();
      tracker.opened(this);
    }
    return connection;
  }

  /** How long one user statement may run before it is stopped; zero for no limit. */
  public void limitStatements(Duration limit) {
    watch.limit(limit);
  }

  /**
   * From any thread: stops the user statement running on this database, and every later one,
   * with {@code reason} in the error its caller gets. The runtime's own commits still run.
   */
  public void stopStatements(String reason) {
    watch.stopAll(reason);
  }

  StatementWatch watch() {
    return watch;
  }

  /** A cached prepared statement for internal SQL or a user statement. */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection().prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Work to do once this database's file has been created (the namespace's own files). */
  public void onFileCreated(Runnable action) {
    this.onFileCreated = action;
  }

  /** Work to do before a turn's savepoint opens (writing buffered writes of earlier turns). */
  void beforeTurnSavepoint(Runnable action) {
    this.beforeTurnSavepoint = action;
  }

  /** Opens the batch transaction if none is open (writes that need no savepoint of their own). */
  public void beginBatch() {
    if (inTransaction) {
      return;
    }
    try {
      execute("BEGIN");
      inTransaction = true;
    } catch (SQLException e) {
      throw new StorageException("Could not start a storage transaction: " + e.getMessage(), e);
    }
  }

  /** Starts the current turn's savepoint (and the batch transaction) if not yet started. */
  public void beginTurn() {
    if (inTurn) {
      return;
    }
    beforeTurnSavepoint.run();
    beginBatch();
    try {
      execute("SAVEPOINT " + TURN_SAVEPOINT);
      inTurn = true;
    } catch (SQLException e) {
      throw new StorageException("Could not start a storage transaction: " + e.getMessage(), e);
    }
  }

  /** Ends the turn: keeps its writes in the batch, or rolls back exactly them. */
  @Override
  public void endTurn(boolean keep) {
    if (!inTurn) {
      return;
    }
    inTurn = false;
    savepointDepth = 0;
    String stopped = watch.takeLastStop();
    try {
      if (!keep) {
        execute("ROLLBACK TO " + TURN_SAVEPOINT);
      }
      execute("RELEASE " + TURN_SAVEPOINT);
    } catch (SQLException e) {
      throw new StorageException("Could not end a storage turn: " + (stopped == null ? e.getMessage()
          : "SQL statement stopped: " + stopped + "; SQLite rolled back the open transaction with it"), e);
    }
  }

  /** Whether there is a batch of writes not yet committed. */
  @Override
  public boolean hasUncommitted() {
    return inTransaction;
  }

  /**
   * Commits the batch. On failure the batch is rolled back and the exception thrown: the caller
   * must treat every turn of the batch as failed.
   */
  @Override
  public void commit() throws SQLException {
    if (!inTransaction) {
      return;
    }
    if (inTurn) {
      throw new IllegalStateException("commit() inside a turn; end the turn first");
    }
    try {
      if (failNextCommit != null) {
        String reason = failNextCommit;
        failNextCommit = null;
        throw new SQLException(reason);
      }
      execute("COMMIT");
      inTransaction = false;
    } catch (SQLException e) {
      rollback();
      throw e;
    }
  }

  /** Rolls back any open batch (used when an object is reset). */
  @Override
  public void rollback() {
    inTurn = false;
    savepointDepth = 0;
    if (!inTransaction) {
      return;
    }
    inTransaction = false;
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite rolls back by itself after some errors; "no transaction is active" is fine here.
      if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
        throw new StorageException("Could not roll back: " + e.getMessage(), e);
      }
    } finally {
      // A failed batch may have left statements of its own unusable: start from a clean cache.
      statements.values().forEach(ObjectDatabase::closeQuietly);
      statements.clear();
    }
  }

  /** Makes the next {@link #commit()} fail with the given message (fault injection). */
  public void failNextCommit(String reason) {
    this.failNextCommit = reason;
  }

  /**
   * Runs work in a nested savepoint of the current turn: all of its writes or none. What the
   * work throws is rethrown unchanged after the rollback.
   */
  <T> T inSavepoint(DurableObjectStorage.TransactionBody<T> work) {
    beginTurn();
    String name = "durable_tx_" + (++savepointDepth);
    boolean ok = false;
    try {
      execute("SAVEPOINT " + name);
      T result = work.run();
      ok = true;
      return result;
    } catch (Exception e) {
      throw Sneaky.<RuntimeException>rethrow(e);
    } finally {
      savepointDepth--;
      try {
        if (!ok) {
          execute("ROLLBACK TO " + name);
        }
        execute("RELEASE " + name);
      } catch (SQLException e) {
        if (ok) {
          throw new StorageException("Could not release savepoint " + name + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Total rows changed on this connection since it opened. */
  long totalChanges() throws SQLException {
    return ((SQLiteConnection) connection()).getDatabase().total_changes();
  }

  /**
   * Closes the connection: checkpoints the WAL into the database file so that SQLite removes
   * the WAL when the last connection closes. An in-memory database is never closed this way.
   */
  @Override
  public void close() {
    if (connection == null || file == null) {
      return;
    }
    rollback();
    statements.values().forEach(ObjectDatabase::closeQuietly);
    statements.clear();
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      // The close below still releases the file; SQLite checkpoints on last close anyway.
    }
    Runnable afterClose = spares == null ? () -> {} : spares.beforeClose(file);
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StorageException("Could not close " + file + ": " + e.getMessage(), e);
    } finally {
      connection = null;
      afterClose.run();
      tracker.closed(this);
    }
  }

  /**
   * Removes the database's file and its companions (the object was deleted); call after
   * {@link #discard()}. Nothing to do in memory.
   */
  public void deleteFiles() {
    if (file == null) {
      return;
    }
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new StorageException("Could not delete " + file + ": " + e.getMessage(), e);
    }
    uncreated = null;
  }

  /** Drops the in-memory database too (the runtime is closing). */
  public void discard() {
    if (connection == null) {
      return;
    }
    statements.values().forEach(ObjectDatabase::closeQuietly);
    statements.clear();
    try {
      if (file != null) {
        close();
      } else {
        connection.close();
        tracker.closed(this);
      }
    } catch (SQLException e) {
      throw new StorageException("Could not close database: " + e.getMessage(), e);
    } finally {
      connection = null;
      inTransaction = false;
      inTurn = false;
    }
  }

  private Connection open() {
    try {
      String url;
      String settings = "PRAGMA busy_timeout = 5000; ";
      boolean fromTemplate = false;
      boolean named = false;
      if (file == null) {
        url = "jdbc:sqlite::memory:";
      } else {
        if (exclusive) {
          settings = "PRAGMA locking_mode = EXCLUSIVE; " + settings; // before any read: see above
        }
        if (isUncreated()) { // looked up once: a fresh object's reads already asked
          named = EmptyDatabase.createAt(file, objectName, fsync);
          fromTemplate = true;
          onFileCreated.run();
        } else {
          settings += "PRAGMA journal_mode = WAL; "; // the template is WAL already
        }
        settings += "PRAGMA synchronous = " + (fsync ? "FULL" : "OFF") + "; ";
        uncreated = false;
        if (spares != null) {
          spares.supply(file);
        }
        url = "jdbc:sqlite:" + file;
      }
      // No SQLiteConfig: it runs its pragmas in no fixed order as the connection opens, and the
      // locking mode must come first. Every setting goes to SQLite in one call below.
      SQLiteConnection sqlite = JDBC.createConnection(url, new Properties());
      try {
        // Nothing here asks for generated keys; left on, sqlite-jdbc queries last_insert_rowid()
        // after every INSERT.
        sqlite.getConnectionConfig().setGetGeneratedKeys(false);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_COLUMN, MAX_COLUMNS);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_ROW_BYTES);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_VARIABLE_NUMBER, MAX_BOUND_PARAMETERS);
        sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        ProgressHandler.setHandler(sqlite, StatementWatch.STEPS_PER_CHECK, watch);
        if (file == null) {
          initializeInMemory(sqlite);
          return sqlite;
        }
        // Keep the WAL small after checkpoints and the page cache modest: thousands of objects
        // may be open at once.
        execAll(sqlite, settings + "PRAGMA journal_size_limit = 1048576; " + DROP_PAGE_CACHE_BLOCK
            + " PRAGMA cache_size = -512; PRAGMA foreign_keys = ON;");
        if (!fromTemplate) {
          try (Statement st = sqlite.createStatement()) {
            createInternalTables(sqlite, st);
          }
        } else if (!named) {
          recordName(sqlite); // a copy of the template without the name (too long for its page)
        }
        return sqlite;
      } catch (Exception e) {
        sqlite.close();
        throw e;
      }
    } catch (Exception e) {
      throw new StorageException("Could not open " + (file == null ? "in-memory database" : file)
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * On a connection's first read SQLite's page cache takes a block of 20 pages (86 KB) at once,
   * whatever the cache size, and keeps it while the connection is open; an object database of a
   * few pages uses a fraction of it, and up to 1,024 are open at once. Emptying the cache while
   * it may hold only two pages frees the block, and pages read after that are allocated one by
   * one as they are needed (the cache's size limit is set again just after). The read of the
   * schema version takes a page at once, so that no later read starts a new block.
   */
  private static final String DROP_PAGE_CACHE_BLOCK =
      "PRAGMA cache_size = 2; PRAGMA shrink_memory; PRAGMA schema_version;";

  /**
   * A new in-memory database is empty: the same pragmas, tables and name as
   * {@link #createInternalTables} gives an empty file, in two calls into SQLite instead of a
   * statement each (a fresh object opens one in every test of the test kit).
   */
  private void initializeInMemory(SQLiteConnection c) throws SQLException {
    execAll(c, "PRAGMA journal_size_limit = 1048576; PRAGMA cache_size = -512; PRAGMA foreign_keys = ON;"
        + " BEGIN; CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;"
        + (objectName == null ? ""
            : " CREATE TABLE IF NOT EXISTS __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT);"));
    recordName(c);
    execAll(c, "COMMIT");
  }

  /** Runs SQL of several statements in one call (sqlite3_exec). */
  private static void execAll(SQLiteConnection c, String sql) throws SQLException {
    int rc = c.getDatabase()._exec(sql);
    if (rc != 0) {
      throw new SQLException("SQLite error " + rc + " in: " + sql);
    }
  }

  /** Records the object's name in the name table, unless it has none or one is recorded. */
  private void recordName(Connection c) throws SQLException {
    if (objectName == null) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT OR IGNORE INTO __miniflare_do_name (id, name) VALUES (0, ?)")) {
      ps.setString(1, objectName);
      ps.executeUpdate();
    }
  }

  /**
   * Creates {@code _cf_KV} and the name table when missing (files written by other tools) and
   * records the object's name on first open, in one transaction.
   */
  private void createInternalTables(Connection c, Statement st) throws SQLException {
    boolean hasKv;
    boolean hasNameTable;
    try (var rs = st.executeQuery("SELECT coalesce(sum(name = '_cf_KV'), 0),"
        + " coalesce(sum(name = '__miniflare_do_name'), 0) FROM sqlite_master WHERE type = 'table'")) {
      rs.next();
      hasKv = rs.getInt(1) > 0;
      hasNameTable = rs.getInt(2) > 0;
    }
    boolean needsName = objectName != null;
    if (needsName && hasNameTable) {
      try (var rs = st.executeQuery("SELECT 1 FROM __miniflare_do_name WHERE id = 0")) {
        needsName = !rs.next();
      }
    }
    if (hasKv && !needsName) {
      return;
    }
    st.execute("BEGIN");
    st.execute("CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
    if (needsName) {
      st.execute("CREATE TABLE IF NOT EXISTS __miniflare_do_name (id INTEGER PRIMARY KEY, name TEXT)");
      recordName(c);
    }
    st.execute("COMMIT");
  }

  private void execute(String sql) throws SQLException {
    try {
      prepare(sql).execute();
    } catch (SQLException e) {
      forgetStatement(sql);
      throw e;
    }
  }

  /**
   * Drops a cached statement whose execution failed: sqlite-jdbc may leave such a statement
   * finalized, and every later use would fail with "statement is not executing".
   */
  void forgetStatement(String sql) {
    PreparedStatement ps = statements.remove(sql);
    if (ps != null) {
      closeQuietly(ps);
    }
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException e) {
      // Closing a finalized statement cannot lose data.
    }
  }
}
