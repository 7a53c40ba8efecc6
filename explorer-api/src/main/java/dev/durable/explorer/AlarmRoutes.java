package dev.durable.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The object's alarm: read, set, delete (inside its gate, without waking it) and run now (which
 * does wake it: the alarm handler runs, with retries on failure as usual).
 */
record AlarmRoutes(ObjectAccess access) {
  static final String TAG = "Alarm";
  private static final String ALARM = ObjectRoutes.OBJECT + "/alarm";

  void register(RouteTable t) {
    t.add("GET", ALARM, this::get)
        .doc(TAG, "getAlarm", "The alarm, if one is set")
        .result("Alarm");
    t.add("PUT", ALARM, this::set)
        .doc(TAG, "setAlarm", "Set (or replace) the alarm")
        .body("AlarmSet")
        .result("Alarm");
    t.add("DELETE", ALARM, this::delete)
        .doc(TAG, "deleteAlarm", "Cancel the alarm")
        .result("Alarm");
    t.add("POST", ALARM + "/run", this::runNow)
        .doc(TAG, "runAlarm", "Run the pending alarm now (wakes the object)")
        .describe("The handler sees the alarm's scheduled time; a failure schedules a retry as"
            + " usual. `ran` is false when no alarm is set.")
        .result("AlarmRun");
  }

  private Reply get(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    return Reply.ok(toJson(access.write(target, view -> view.storage().getAlarm().orElse(null))));
  }

  private Reply set(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    Instant at = time(call.bodyObject().get("scheduled_time"));
    return Reply.ok(toJson(access.write(target, view -> {
      try {
        view.storage().setAlarm(at);
      } catch (IllegalStateException e) {
        throw ApiException.invalid(e.getMessage());
      }
      return view.storage().getAlarm().orElse(null);
    })));
  }

  private Reply delete(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    return Reply.ok(toJson(access.write(target, view -> {
      view.storage().deleteAlarm();
      return view.storage().getAlarm().orElse(null);
    })));
  }

  private Reply runNow(ApiCall call) {
    ObjectAccess.Target target = access.target(call);
    boolean ran = access.tools().runAlarm(target.stub());
    Instant next = access.write(target, view -> view.storage().getAlarm().orElse(null));
    ObjectNode o = Envelope.NODES.objectNode().put("ran", ran);
    o.set("alarm", toJson(next));
    return Reply.ok(o);
  }

  /** {@code {"scheduled_time":"2026-01-01T00:00:00Z","epoch_millis":1767225600000}}, or nulls. */
  static ObjectNode toJson(Instant at) {
    return Envelope.NODES.objectNode()
        .put("scheduled_time", at == null ? null : at.toString())
        .put("epoch_millis", at == null ? null : at.toEpochMilli());
  }

  private static Instant time(JsonNode node) {
    if (node == null || node.isNull()) {
      throw ApiException.invalid("scheduled_time: Required (an ISO-8601 instant such as"
          + " 2026-01-01T00:00:00Z, or epoch milliseconds)");
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Instant.ofEpochMilli(node.longValue());
    }
    if (node.isTextual()) {
      try {
        return Instant.parse(node.textValue());
      } catch (DateTimeParseException e) {
        throw ApiException.invalid("scheduled_time: '" + node.textValue() + "' is not an ISO-8601"
            + " instant such as 2026-01-01T00:00:00Z");
      }
    }
    throw ApiException.invalid("scheduled_time: expected an ISO-8601 instant or epoch milliseconds,"
        + " got " + SqlValues.describe(node));
  }
}
