package dev.durable.internal.storage.tools;

import dev.durable.DurableObjectId;
import dev.durable.internal.storage.AlarmSlot;
import dev.durable.internal.storage.ObjectDatabase;
import dev.durable.internal.storage.ObjectStorage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An empty in-memory database shaped like a new object's, for reading an object that has no file
 * yet: a tool answers as for an empty object and creates nothing on disk. Its alarm is the
 * object's own. Work that changes it is run again on the real object.
 */
public final class Scratch implements AutoCloseable {
  private final ObjectDatabase database;
  private final ObjectStorage storage;

  /** A scratch database for the object with this name (or null), sharing the object's alarm. */
  public Scratch(String objectName, AlarmSlot alarm) {
    this.database = new ObjectDatabase(null, objectName, ObjectDatabase.Tracker.NONE, false);
    this.storage = new ObjectStorage(database, () -> {}, alarm);
  }

  /** A view of the scratch database, as of an object without storage. */
  public StoredObjectView view(DurableObjectId id, boolean live) {
    return new StoredObjectView(id, storage, database, false, live);
  }

  /** Rows changed so far and the schema's version: any write changes one of them. */
  public record ChangeMark(long rowsChanged, long schemaVersion) {}

  /** Where the scratch database is now, to tell afterwards whether anything wrote to it. */
  public ChangeMark changeMark() {
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
