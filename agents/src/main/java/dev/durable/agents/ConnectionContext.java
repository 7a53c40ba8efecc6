package dev.durable.agents;

import dev.durable.Request;

/**
 * What an agent knows about a connection as it opens: the upgrade request, with its URL, query
 * and headers (for example a token to check in {@link Agent#onConnect}).
 *
 * @param request the WebSocket upgrade request
 */
public record ConnectionContext(Request request) {}
