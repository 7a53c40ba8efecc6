package dev.durable.internal.migration;

import java.util.List;

/**
 * What {@link StateMigration#migrate} did.
 *
 * @param appliedTags the tags of the migrations applied by this call, in order (empty when all
 *     had run before)
 * @param actions one line per change made to the state directory, for the start-up log
 * @param warnings one line per thing the developer should know, such as kept state of a
 *     deleted class
 */
public record MigrationReport(List<String> appliedTags, List<String> actions, List<String> warnings) {
  public MigrationReport {
    appliedTags = List.copyOf(appliedTags);
    actions = List.copyOf(actions);
    warnings = List.copyOf(warnings);
  }
}
