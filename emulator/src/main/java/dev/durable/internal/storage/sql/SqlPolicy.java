package dev.durable.internal.storage.sql;

import dev.durable.SqlException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What Cloudflare's SQL API refuses before SQLite runs it: transaction control (storage has its
 * own transactions), other databases (ATTACH, TEMP objects), the runtime's own {@code _cf_}
 * tables and {@code __miniflare_do_name} (which exists only in the emulator, to record the
 * object's name for tools: user SQL dropping or editing it would lose that record), and PRAGMAs
 * outside an allow-list.
 */
public final class SqlPolicy {
  /** Cloudflare's message for statements its authorizer denies. */
  public static final String NOT_AUTHORIZED = "not authorized: SQLITE_AUTH";

  /** Cloudflare's message for transaction control, with the Java API named. */
  public static final String USE_TRANSACTION_API = "To execute a transaction, please use the"
      + " ctx.storage().transaction() API instead of the SQL BEGIN TRANSACTION or SAVEPOINT"
      + " statements. The Java API is safer because it will automatically roll back on exceptions,"
      + " and because it interacts correctly with Durable Objects' automatic atomic write coalescing.";

  /** Why ROLLBACK conflict resolution is refused. */
  public static final String NO_ROLLBACK_RESOLUTION = "ROLLBACK conflict resolution (OR ROLLBACK,"
      + " ON CONFLICT ROLLBACK, RAISE(ROLLBACK, ...)) would end the transaction that holds this"
      + " event's writes; use ABORT, FAIL, IGNORE or REPLACE, or ctx.storage().transaction():"
      + " SQLITE_AUTH";

  /** The emulator's table of the object's name (Miniflare's layout); Cloudflare has none. */
  private static final String NAME_TABLE = "__miniflare_do_name";

  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");

  private static final Set<String> ALLOWED_PRAGMAS = Set.of(
      "data_version", "page_size", "page_count", "freelist_count", "foreign_keys",
      "defer_foreign_keys", "foreign_key_check", "foreign_key_list", "table_info", "table_xinfo",
      "table_list", "index_list", "index_info", "index_xinfo", "quick_check", "optimize",
      "case_sensitive_like", "legacy_alter_table", "recursive_triggers", "reverse_unordered_selects");

  /**
   * SQLite's pragmas, any of which can be read as a table-valued function ({@code pragma_<name>}):
   * only these names are pragma functions, so a user's column or table named {@code pragma_note}
   * is not mistaken for one.
   */
  private static final Set<String> PRAGMAS = Set.of(
      "analysis_limit", "application_id", "auto_vacuum", "automatic_index", "busy_timeout",
      "cache_size", "cache_spill", "case_sensitive_like", "cell_size_check",
      "checkpoint_fullfsync", "collation_list", "compile_options", "count_changes",
      "data_store_directory", "data_version", "database_list", "default_cache_size",
      "defer_foreign_keys", "empty_result_callbacks", "encoding", "foreign_key_check",
      "foreign_key_list", "foreign_keys", "freelist_count", "full_column_names", "fullfsync",
      "function_list", "hard_heap_limit", "ignore_check_constraints", "incremental_vacuum",
      "index_info", "index_list", "index_xinfo", "integrity_check", "journal_mode",
      "journal_size_limit", "legacy_alter_table", "legacy_file_format", "locking_mode",
      "max_page_count", "mmap_size", "module_list", "optimize", "page_count", "page_size",
      "pragma_list", "query_only", "quick_check", "read_uncommitted", "recursive_triggers",
      "reverse_unordered_selects", "schema_version", "secure_delete", "short_column_names",
      "shrink_memory", "soft_heap_limit", "stats", "synchronous", "table_info", "table_list",
      "table_xinfo", "temp_store", "temp_store_directory", "threads", "trusted_schema",
      "user_version", "wal_autocheckpoint", "wal_checkpoint", "writable_schema");

  private SqlPolicy() {}

  /** Throws {@link SqlException} with Cloudflare's message when the statement is refused. */
  public static void check(SqlStatements.Statement statement) {
    List<Token> tokens = statement.tokens();
    if (tokens.isEmpty()) {
      return;
    }
    String first = tokens.get(0).text().toUpperCase(Locale.ROOT);
    if (tokens.get(0).kind() == Token.Kind.WORD) {
      if (TRANSACTION_CONTROL.contains(first)) {
        throw refused(USE_TRANSACTION_API);
      }
      if (first.equals("ATTACH") || first.equals("DETACH") || first.equals("VACUUM")) {
        throw refused(NOT_AUTHORIZED);
      }
      if (first.equals("CREATE") && tokens.size() > 1
          && (tokens.get(1).isWord("TEMP") || tokens.get(1).isWord("TEMPORARY"))) {
        throw refused(NOT_AUTHORIZED);
      }
      if (first.equals("PRAGMA")) {
        checkPragma(tokens);
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.QUOTED_NAME) {
        continue;
      }
      if (i > 0 && t.isWord("ROLLBACK")) {
        // Past the first word, ROLLBACK is a conflict resolution: SQLite would roll back the
        // runtime's whole transaction (other events' writes too) and leave the rest of the
        // event writing outside any transaction.
        throw refused(NO_ROLLBACK_RESOLUTION);
      }
      String name = t.name().toLowerCase(Locale.ROOT);
      boolean qualifier = i + 1 < tokens.size() && tokens.get(i + 1).kind() == Token.Kind.DOT;
      if (name.equals("_cf_kv") && first.equals("SELECT")) {
        throw refused(readRefused(columnRead(tokens)));
      }
      if (name.startsWith("pragma_") && PRAGMAS.contains(name.substring("pragma_".length()))
          && !ALLOWED_PRAGMAS.contains(name.substring("pragma_".length()))) {
        // The table-valued form of a pragma (SELECT * FROM pragma_database_list) is held to the
        // allow-list of the PRAGMA statement.
        throw refused(NOT_AUTHORIZED);
      }
      if (name.startsWith("_cf_") || name.equals(NAME_TABLE) || name.equals("sqlite_temp_master")
          || name.equals("sqlite_temp_schema") || (qualifier && name.equals("temp"))) {
        throw refused(NOT_AUTHORIZED);
      }
    }
  }

  private static SqlException refused(String message) {
    return new SqlException(message, message.endsWith("SQLITE_AUTH") ? "SQLITE_AUTH" : "SQLITE_ERROR",
        null);
  }

  /**
   * Cloudflare's message for a read of the key-value table, as its authorizer words it for the
   * first column read: {@code access to _cf_KV.key is prohibited: SQLITE_AUTH}.
   */
  public static String readRefused(String column) {
    return "access to _cf_KV." + column + " is prohibited: SQLITE_AUTH";
  }

  /** The first of the table's columns the statement names; {@code key} for {@code *}. */
  private static String columnRead(List<Token> tokens) {
    for (Token t : tokens) {
      if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME) {
        String n = t.name().toLowerCase(Locale.ROOT);
        if (n.equals("key") || n.equals("value")) {
          return n;
        }
      }
    }
    return "key";
  }

  private static void checkPragma(List<Token> tokens) {
    int i = 1;
    if (tokens.size() > 3 && tokens.get(2).kind() == Token.Kind.DOT) {
      if (!tokens.get(1).name().equalsIgnoreCase("main")) {
        throw refused(NOT_AUTHORIZED);
      }
      i = 3;
    }
    if (i >= tokens.size() || !ALLOWED_PRAGMAS.contains(tokens.get(i).name().toLowerCase(Locale.ROOT))) {
      throw refused(NOT_AUTHORIZED);
    }
  }
}
