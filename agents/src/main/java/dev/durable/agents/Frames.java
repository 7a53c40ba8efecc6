package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON frames of the agents wire protocol, as Cloudflare's {@code agents} client reads them:
 * identity, state and MCP servers on connect; state sync; RPC replies.
 */
final class Frames {
  static final String IDENTITY = "cf_agent_identity";
  static final String STATE = "cf_agent_state";
  static final String STATE_ERROR = "cf_agent_state_error";
  static final String MCP_SERVERS = "cf_agent_mcp_servers";
  static final String RPC = "rpc";

  private Frames() {}

  static ObjectNode identity(String name, String agent, boolean stateFollows) {
    ObjectNode f = typed(IDENTITY);
    f.put("name", name);
    f.put("agent", agent);
    if (stateFollows) {
      f.put("stateFollows", true);
    }
    return f;
  }

  static ObjectNode state(JsonNode state) {
    ObjectNode f = typed(STATE);
    f.set("state", state);
    return f;
  }

  static ObjectNode stateError(String error) {
    ObjectNode f = typed(STATE_ERROR);
    f.put("error", error);
    return f;
  }

  /** An empty list of MCP servers: these agents have none, and the client waits for the frame. */
  static ObjectNode noMcpServers() {
    ObjectNode f = typed(MCP_SERVERS);
    ObjectNode mcp = f.putObject("mcp");
    mcp.putArray("prompts");
    mcp.putArray("resources");
    mcp.putObject("servers");
    mcp.putArray("tools");
    return f;
  }

  /** The final frame of a successful call, without a result (add one when there is). */
  static ObjectNode success(JsonNode id) {
    ObjectNode f = typed(RPC);
    f.set("id", id);
    f.put("success", true);
    f.put("done", true);
    return f;
  }

  static ObjectNode chunk(JsonNode id, JsonNode result) {
    ObjectNode f = typed(RPC);
    f.set("id", id);
    f.put("success", true);
    f.put("done", false);
    f.set("result", result);
    return f;
  }

  static ObjectNode failure(JsonNode id, String error) {
    ObjectNode f = typed(RPC);
    f.set("id", id);
    f.put("success", false);
    f.put("error", error);
    return f;
  }

  private static ObjectNode typed(String type) {
    ObjectNode f = AgentJson.object();
    f.put("type", type);
    return f;
  }
}
