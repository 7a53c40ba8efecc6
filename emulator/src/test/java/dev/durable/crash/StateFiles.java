package dev.durable.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks at a state directory from outside the emulator, as SQLite's own tools would. */
final class StateFiles {
  private StateFiles() {}

  /** Every SQLite database under the directory: object files and {@code metadata.sqlite}. */
  static List<Path> databases(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(state)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".sqlite")).sorted().toList();
    }
  }

  /** Every file under the directory, for "nothing was created elsewhere" checks. */
  static List<Path> allFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * {@code PRAGMA integrity_check} of one database; "ok" when sound, otherwise SQLite's list of
   * problems. Run it while no emulator has the database open (an open one is locked).
   */
  static String integrity(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      List<String> lines = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      return String.join("; ", lines);
    }
  }

  /** The first column of the first row of a query, as text, run from outside the emulator. */
  static String query(Path db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Checks every database under the directory; returns how many there were. */
  static int assertAllIntact(Path state) throws IOException, SQLException {
    List<Path> dbs = databases(state);
    List<String> broken = new ArrayList<>();
    for (Path db : dbs) {
      String result = integrity(db);
      if (!result.equals("ok")) {
        broken.add(state.relativize(db) + ": " + result);
      }
    }
    if (!broken.isEmpty()) {
      throw new AssertionError("PRAGMA integrity_check failed on " + broken.size() + " of "
          + dbs.size() + " databases:\n" + String.join("\n", broken));
    }
    return dbs.size();
  }
}
