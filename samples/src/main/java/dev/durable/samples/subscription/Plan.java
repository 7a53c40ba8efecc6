package dev.durable.samples.subscription;

import dev.durable.samples.HttpError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The plans a customer can be on, with their monthly price. */
public enum Plan {
  /** Where every customer starts, and where a failed renewal leaves them. */
  FREE(0),
  /** The paid plan for one person. */
  PRO(1200),
  /** The paid plan for a team. */
  TEAM(4900);

  private final int priceCents;

  Plan(int priceCents) {
    this.priceCents = priceCents;
  }

  /** The price of one 30-day period, in cents. */
  public int priceCents() {
    return priceCents;
  }

  /** The plan's name as clients write it: {@code free}, {@code pro}, {@code team}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A paid plan by its name; a 400 naming the paid plans otherwise. */
  static Plan paid(String name) {
    if (name == null || name.isBlank()) {
      throw HttpError.badRequest("\"plan\" is missing; choose one of " + paidNames());
    }
    for (Plan p : values()) {
      if (p != FREE && p.id().equals(name)) {
        return p;
      }
    }
    throw HttpError.badRequest("\"plan\" is '" + name + "'; choose one of " + paidNames());
  }

  private static String paidNames() {
    return Arrays.stream(values()).filter(p -> p != FREE).map(Plan::id).collect(Collectors.joining(", "));
  }
}
