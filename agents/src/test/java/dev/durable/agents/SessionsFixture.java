package dev.durable.agents;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.testkit.DurableObjectsExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the session tests share: a plain object to keep sessions in, and a count of every table's rows. */
abstract class SessionsFixture {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("NOTEBOOK", Notebook.class)
      .bind("TALLY", TestAgents.Tally.class)
      .build();

  static final List<String> TABLES = List.of("cf_agents_sessions", "cf_agents_session_messages",
      "cf_agents_session_compactions", "cf_agents_context_blocks");

  final DurableObjectStub notebook() {
    return dos.stub("NOTEBOOK", "ada");
  }

  /** Runs the body inside the notebook object, with its sessions. */
  final <R> R in(Function<Sessions, R> body) {
    return dos.callInDurableObject(notebook(), (Notebook n, DurableObjectState s) -> body.apply(Sessions.of(s)));
  }

  /** The rows of each session table, and the FTS index's entries. */
  final Map<String, Long> rows() {
    return dos.callInDurableObject(notebook(), (Notebook n, DurableObjectState s) -> {
      Sessions.of(s).list(); // makes the tables, so that a test may count before its first write
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String table : TABLES) {
        counts.put(table, (Long) s.storage().sql().exec("SELECT count(*) AS n FROM " + table).one().get("n"));
      }
      // FTS5 keeps one row per indexed message in its docsize table.
      counts.put("search index", (Long) s.storage().sql()
          .exec("SELECT count(*) AS n FROM cf_agents_session_fts_docsize").one().get("n"));
      return counts;
    });
  }
}
