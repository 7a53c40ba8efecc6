/**
 * Testing agents with the test kit: {@link dev.durable.agents.testing.TestAgentClient} speaks the
 * agents protocol as Cloudflare's JavaScript client does, in-process, and
 * {@link dev.durable.agents.testing.AgentAssertions} checks an agent's schedules. Needs
 * {@code durable-test-kit} and AssertJ on the test classpath.
 */
package dev.durable.agents.testing;
