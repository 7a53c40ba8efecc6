package dev.durable.agents.testing;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.agents.Agent;
import dev.durable.agents.Schedule;
import dev.durable.testkit.DurableObjectsExtension;
import java.util.List;

/**
 * Entry point of the agents' assertions.
 *
 * <pre>{@code
 * assertThatSchedules(dos, dos.stub("REMINDERS", "ada"))
 *     .hasSize(1).nextIs("remind", Instant.parse("2026-01-01T00:10:00Z"));
 * }</pre>
 */
public final class AgentAssertions {
  private AgentAssertions() {}

  /** Assertions on a list of schedules. */
  public static SchedulesAssert assertThatSchedules(List<Schedule> schedules) {
    return new SchedulesAssert(schedules);
  }

  /** Assertions on an agent's schedules, read inside the agent now. */
  public static SchedulesAssert assertThatSchedules(DurableObjectsExtension dos, DurableObjectStub agent) {
    return new SchedulesAssert(schedulesOf(dos, agent));
  }

  /** An agent's schedules, read inside the agent (next to run first). */
  public static List<Schedule> schedulesOf(DurableObjectsExtension dos, DurableObjectStub agent) {
    return dos.callInDurableObject(agent, (Agent<?> a, DurableObjectState state) -> a.getSchedules());
  }
}
