package dev.durable.explorer;

import dev.durable.internal.storage.AlarmSlot;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * An empty in-memory database shaped like a new object's ({@code _cf_KV}, the name table), for
 * reading an object that has no file yet: the explorer answers as for an empty object and
 * creates nothing on disk. A query that changes it is run again on the real object.
 */
final class Scratch implements AutoCloseable {
  /** Alarms live outside the database; a scratch database has none and takes none. */
  private static final AlarmSlot NO_ALARM = new AlarmSlot() {
    @Override
    public Optional<Instant> get() {
      return Optional.empty();
    }

    @Override
    public void set(Instant time) {
      throw new IllegalStateException("An alarm cannot be set on a scratch database");
    }

    @Override
    public void delete() {}

    @Override
    public Object mark() {
      return Boolean.TRUE;
    }

    @Override
    public void rollbackTo(Object mark) {}
  };

  private final ObjectDatabase database;
  private final ObjectStorage storage;

  Scratch(String objectName) {
    this.database = new ObjectDatabase(null, objectName, ObjectDatabase.Tracker.NONE, false);
    this.storage = new ObjectStorage(database, () -> {}, NO_ALARM);
  }

  ObjectDatabase database() {
    return database;
  }

  ObjectStorage storage() {
    return storage;
  }

  /** Rows changed so far and the schema's version: any write changes one of them. */
  record ChangeMark(long rowsChanged, long schemaVersion) {}

  ChangeMark changeMark() {
    try (Statement st = database.connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT total_changes(), schema_version FROM pragma_schema_version")) {
      rs.next();
      return new ChangeMark(rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the scratch database's change count: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    database.rollback();
    database.discard();
  }
}
