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
    return rpc(id, true).put("done", true);
  }

  static ObjectNode chunk(JsonNode id, JsonNode result) {
    ObjectNode f = rpc(id, true).put("done", false);
    f.set("result", result);
    return f;
  }

  static ObjectNode failure(JsonNode id, String error) {
    return rpc(id, false).put("error", error);
  }

  /** An RPC reply's common part, in the order the SDK's server writes it: type, id, success. */
  private static ObjectNode rpc(JsonNode id, boolean success) {
    ObjectNode f = typed(RPC);
    f.set("id", id);
    return f.put("success", success);
  }

  private static ObjectNode typed(String type) {
    ObjectNode f = AgentJson.object();
    f.put("type", type);
    return f;
  }
}
