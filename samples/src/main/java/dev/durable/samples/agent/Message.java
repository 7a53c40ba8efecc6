package dev.durable.samples.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message of a session's conversation tree, as clients and the {@link Model} see it. Every
 * message but the first has a parent, and any message can have several children: a new message
 * under an earlier one forks the conversation there.
 *
 * @param id the message's number in the session, from 1
 * @param parentId the message it answers or follows, null for a root
 * @param role {@code user}, {@code tool} (one step of a run: a tool call and its output) or
 *     {@code assistant} (a run's answer)
 * @param content the text; for a tool message, the tool's output
 * @param tool for a tool message, the tool's name
 * @param input for a tool message, what the model asked the tool
 * @param runId the run the message belongs to (a user message starts one)
 * @param createdAt when it was stored, ISO-8601
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(long id, Long parentId, String role, String content, String tool, String input,
    Long runId, String createdAt) {

  /**
   * The message as stored in the agent's {@link dev.durable.agents.Sessions}: its id and its
   * parent's are numbers as text, and tool, input and run id live in its metadata.
   */
  static Message of(dev.durable.agents.Message stored) {
    JsonNode meta = stored.metadata();
    return new Message(Long.parseLong(stored.id()),
        stored.parentId() == null ? null : Long.parseLong(stored.parentId()), stored.role(), stored.content(),
        meta.hasNonNull("tool") ? meta.get("tool").asText() : null,
        meta.hasNonNull("input") ? meta.get("input").asText() : null,
        meta.hasNonNull("runId") ? meta.get("runId").asLong() : null, stored.createdAt().toString());
  }
}
