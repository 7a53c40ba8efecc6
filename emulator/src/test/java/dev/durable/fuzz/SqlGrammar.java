package dev.durable.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Makes random SQL from a small grammar of what users write (tables, indexes, views, triggers,
 * FTS5, inserts, updates, selects, DDL changes), what Cloudflare refuses (transactions, ATTACH,
 * TEMP, {@code _cf_} names, PRAGMAs outside the allow-list), and byte-level mutations of both.
 * The same seed gives the same statements.
 */
final class SqlGrammar {
  private static final List<String> TABLES = List.of("t1", "t2", "t3", "\"t 4\"", "[t5]", "`t6`");
  private static final List<String> COLUMNS = List.of("a", "b", "c", "\"d d\"");
  private static final List<String> TYPES = List.of("INTEGER", "TEXT", "REAL", "BLOB", "", "NUMERIC",
      "ANY", "VARCHAR(10)");
  private static final List<String> FORBIDDEN_NAMES = List.of("_cf_KV", "_CF_kv", "\"_cf_KV\"",
      "[_cf_ALARM]", "_cf_anything", "sqlite_temp_master", "temp.t1", "main._cf_KV", "`_cf_KV`",
      "__miniflare_do_name", "sqlite_master", "sqlite_schema", "sqlite_sequence");
  private static final List<String> PRAGMAS = List.of("table_info(t1)", "table_list", "index_list(t1)",
      "foreign_keys", "foreign_keys = ON", "quick_check", "page_size", "data_version",
      "journal_mode", "journal_mode = DELETE", "main.journal_mode = OFF", "writable_schema = 1",
      "synchronous = OFF", "temp_store = MEMORY", "temp.table_info(t1)", "locking_mode = EXCLUSIVE",
      "user_version = 7", "cache_size = 1", "wal_checkpoint", "integrity_check", "foreign_key_check",
      "main.table_info(t2)", "optimize", "case_sensitive_like = 1", "recursive_triggers = 1",
      "mmap_size = 100000000", "query_only = 1", "schema_version = 1");
  private static final List<String> REFUSED = List.of("BEGIN", "BEGIN TRANSACTION", "BEGIN IMMEDIATE",
      "COMMIT", "END", "ROLLBACK", "SAVEPOINT s", "RELEASE s", "ROLLBACK TO s", "VACUUM",
      "ATTACH DATABASE 'other.sqlite' AS other", "ATTACH ':memory:' AS m", "DETACH other",
      "CREATE TEMP TABLE x (a)", "CREATE TEMPORARY VIEW v AS SELECT 1", "CREATE TEMP TRIGGER tr"
          + " AFTER INSERT ON t1 BEGIN SELECT 1; END", "end transaction", "commit;  begin");
  private static final String MUTATION_CHARS = "'\";()[],.*`-/\\\0\n\t xX?:@$%|=<>!~+\u00e9\u2028\u3000";

  private final Random random;

  SqlGrammar(long seed) {
    this.random = new Random(seed);
  }

  /** The next case: one or several statements, or a mutation of them. */
  String next() {
    int kind = random.nextInt(100);
    if (kind < 45) {
      return statement();
    }
    if (kind < 60) {
      int n = 2 + random.nextInt(3);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(i == 0 ? "" : pick("; ", ";\n", " ;", "; -- c\n")).append(statement());
      }
      return b.append(random.nextBoolean() ? ";" : "").toString();
    }
    if (kind < 95) {
      return mutate(statement());
    }
    return pick("", ";", " ; ; ", "-- only a comment", "/* unterminated", "'unterminated",
        "\"unterminated", "[unterminated", "\0", "SELECT", "(", "x".repeat(1 + random.nextInt(3000)));
  }

  /** Bindings for a statement: usually none, sometimes some (often the wrong number). */
  Object[] bindings() {
    if (random.nextInt(10) > 0) {
      return new Object[0];
    }
    Object[] values = new Object[random.nextInt(4)];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (random.nextInt(6)) {
        case 0 -> null;
        case 1 -> random.nextLong();
        case 2 -> random.nextDouble();
        case 3 -> "s" + random.nextInt(100);
        case 4 -> new byte[] {1, 2, 3};
        default -> random.nextBoolean();
      };
    }
    return values;
  }

  private String statement() {
    return switch (random.nextInt(22)) {
      case 0, 1 -> createTable();
      case 2 -> "CREATE INDEX " + ifNotExists() + "i" + random.nextInt(4) + " ON " + table() + " (" + column() + ")";
      case 3 -> "CREATE VIEW " + ifNotExists() + "v" + random.nextInt(3) + " AS " + select();
      case 4 -> "CREATE TRIGGER " + ifNotExists() + "tr" + random.nextInt(3) + " AFTER "
          + pick("INSERT", "DELETE", "UPDATE") + " ON " + table() + " BEGIN "
          + pick(write(), "SELECT RAISE(" + pick("ROLLBACK", "ABORT", "FAIL", "IGNORE") + ", 'no')") + "; "
          + (random.nextBoolean() ? write() + "; " : "") + "END";
      case 5 -> "CREATE VIRTUAL TABLE " + ifNotExists() + "f" + random.nextInt(2) + " USING fts5(body)";
      case 6, 7, 8 -> write();
      case 9, 10 -> select();
      case 11 -> "DROP " + pick("TABLE", "INDEX", "VIEW", "TRIGGER") + " " + (random.nextBoolean() ? "IF EXISTS " : "")
          + pick("t1", "t2", "t3", "i0", "i1", "v0", "tr0", "f0", "nope");
      case 12 -> "ALTER TABLE " + table() + " " + pick("ADD COLUMN " + column() + " " + pick(TYPES),
          "RENAME TO t" + random.nextInt(7), "RENAME COLUMN " + column() + " TO " + column(),
          "DROP COLUMN " + column());
      case 13 -> "PRAGMA " + pick(PRAGMAS);
      case 14 -> pick(REFUSED);
      case 15 -> forbidden();
      case 16 -> "INSERT INTO f0 (body) VALUES (" + string() + ")";
      case 17 -> "SELECT rowid, body FROM f0 WHERE f0 MATCH " + pick("'hello'", "'\"unbalanced'", "'a OR'",
          "'NEAR(a b'", "?", "'*'") + " LIMIT 5";
      case 18 -> "SELECT " + pick("randomblob(3000000)", "zeroblob(5000000)", "printf('%.*c', 3000000, 'x')",
          "json('{')", "abs(-9223372036854775808)", "1/0", "CAST('x' AS INTEGER)", "char(0)",
          "substr('abc', -5, 99)", "hex(randomblob(16))", "load_extension('x')", "sqlite_version()");
      case 19 -> "INSERT INTO " + table() + " VALUES (" + expression() + ")";
      case 20 -> "REPLACE INTO " + table() + " (" + column() + ") VALUES (" + expression() + ")";
      default -> "WITH w(x) AS (SELECT " + expression() + ") SELECT x FROM w";
    };
  }

  private String createTable() {
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(ifNotExists()).append(table()).append(" (");
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(COLUMNS.get(i)).append(' ').append(pick(TYPES));
      b.append(pick("", "", " PRIMARY KEY", " UNIQUE", " NOT NULL", " CHECK (" + COLUMNS.get(i) + " IS NOT 13)",
          " DEFAULT 7", " REFERENCES t1(a)", " UNIQUE ON CONFLICT ROLLBACK", " NOT NULL ON CONFLICT IGNORE"));
    }
    b.append(')');
    return b.append(pick("", "", " WITHOUT ROWID", " STRICT")).toString();
  }

  private String write() {
    return switch (random.nextInt(5)) {
      case 0, 1 -> "INSERT " + pick("", "OR REPLACE ", "OR IGNORE ", "OR FAIL ", "OR ABORT ", "OR ROLLBACK ")
          + "INTO " + table() + " (" + column() + (random.nextBoolean() ? ", " + column() : "")
          + ") VALUES (" + expression() + (random.nextBoolean() ? ", " + expression() : "") + ")"
          + (random.nextInt(4) == 0 ? ", (" + expression() + ")" : "");
      case 2 -> "UPDATE " + table() + " SET " + column() + " = " + expression() + " WHERE " + expression();
      case 3 -> "DELETE FROM " + table() + (random.nextBoolean() ? " WHERE " + expression() : "");
      default -> "INSERT INTO " + table() + " SELECT * FROM " + table() + " LIMIT 3";
    };
  }

  private String select() {
    String s = "SELECT " + pick("*", column(), "count(*)", expression() + " AS e", "DISTINCT " + column())
        + " FROM " + table() + (random.nextBoolean() ? " JOIN " + table() + " USING (" + column() + ")" : "");
    if (random.nextBoolean()) {
      s += " WHERE " + expression();
    }
    if (random.nextInt(4) == 0) {
      s += " GROUP BY " + column() + " HAVING " + expression();
    }
    if (random.nextBoolean()) {
      s += " ORDER BY " + column() + pick("", " DESC", " NULLS LAST");
    }
    return s + " LIMIT " + (1 + random.nextInt(20));
  }

  private String expression() {
    return expression(0);
  }

  private String expression(int depth) {
    int k = random.nextInt(depth > 2 ? 4 : 11);
    return switch (k) {
      case 0 -> Long.toString(random.nextInt(20) - 5);
      case 1 -> string();
      case 2 -> column();
      case 3 -> pick("NULL", "X'00ff'", "9223372036854775807", "1e308", "-0.0", "?", "?1", ":n", "CURRENT_TIMESTAMP");
      case 4, 5 -> expression(depth + 1) + " " + pick("+", "-", "*", "/", "%", "||", "=", "<>", "AND", "OR",
          "<", ">=", "IS", "LIKE", "GLOB") + " " + expression(depth + 1);
      case 6 -> pick("abs", "length", "lower", "typeof", "hex", "quote", "coalesce", "max", "min", "unicode")
          + "(" + expression(depth + 1) + ")";
      case 7 -> "(SELECT " + column() + " FROM " + table() + " LIMIT 1)";
      case 8 -> "CASE WHEN " + expression(depth + 1) + " THEN " + expression(depth + 1) + " ELSE "
          + expression(depth + 1) + " END";
      case 9 -> expression(depth + 1) + " IN (" + expression(depth + 1) + ", " + expression(depth + 1) + ")";
      default -> "CAST(" + expression(depth + 1) + " AS " + pick("INTEGER", "TEXT", "REAL", "BLOB") + ")";
    };
  }

  private String forbidden() {
    String name = pick(FORBIDDEN_NAMES);
    return switch (random.nextInt(7)) {
      case 0 -> "SELECT * FROM " + name;
      case 1 -> "DELETE FROM " + name;
      case 2 -> "DROP TABLE " + name;
      case 3 -> "INSERT INTO " + name + " VALUES ('k', X'00')";
      case 4 -> "UPDATE " + name + " SET value = 1";
      case 5 -> "CREATE TRIGGER evil AFTER INSERT ON t1 BEGIN DELETE FROM " + name + "; END";
      default -> "ALTER TABLE " + name + " RENAME TO stolen";
    };
  }

  private String mutate(String sql) {
    StringBuilder b = new StringBuilder(sql);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && b.length() > 0; i++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(5)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, MUTATION_CHARS.charAt(random.nextInt(MUTATION_CHARS.length())));
        case 2 -> b.setLength(at);
        case 3 -> b.insert(at, pick("; ", "--", "/*", "'", "\"", " BEGIN ", " END ", ";DROP TABLE t1;",
            " _cf_KV ", "; PRAGMA writable_schema=1; "));
        default -> b.setCharAt(at, Character.isUpperCase(b.charAt(at))
            ? Character.toLowerCase(b.charAt(at)) : Character.toUpperCase(b.charAt(at)));
      }
    }
    return b.toString();
  }

  private String ifNotExists() {
    return random.nextBoolean() ? "IF NOT EXISTS " : "";
  }

  private String table() {
    return TABLES.get(random.nextInt(3 + (random.nextInt(4) == 0 ? 3 : 0)));
  }

  private String column() {
    return COLUMNS.get(random.nextInt(random.nextInt(5) == 0 ? 4 : 3));
  }

  private String string() {
    return pick("'hello'", "'it''s'", "''", "'" + "z".repeat(random.nextInt(50)) + "'", "'\u00e9t\u00e9'",
        "'a;b'", "'--'", "'/*'", "'_cf_KV'");
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
