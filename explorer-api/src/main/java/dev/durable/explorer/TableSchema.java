package dev.durable.explorer;

import dev.durable.runtime.ObjectTools.Column;
import dev.durable.runtime.ObjectTools.Table;
import dev.durable.runtime.ObjectView;
import java.util.List;

/**
 * How the data studio addresses an object's tables: one by name (or a 404 naming those there
 * are), its columns checked against what a request names, names quoted as SQL identifiers.
 */
final class TableSchema {
  private TableSchema() {}

  /** One user table or view, or a 404 naming the tables there are. */
  static Table table(ObjectView view, String name) {
    List<Table> all = view.tables();
    return all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
        ApiException.notFound("No table '" + name + "' in this object; tables: "
            + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(Table::name).toList()))));
  }

  /** Refuses (400) a column the table does not have, naming the field that gave it. */
  static void requireColumn(Table t, String column, String field) {
    boolean known = t.columns().stream().anyMatch(c -> c.name().equals(column));
    if (!known && !column.equals(t.rowidAlias())) {
      throw ApiException.invalid(field + ": table '" + t.name() + "' has no column '" + column
          + "'; columns: " + String.join(", ", t.columns().stream().map(Column::name).toList()));
    }
  }

  /** A name as a SQL identifier. */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
