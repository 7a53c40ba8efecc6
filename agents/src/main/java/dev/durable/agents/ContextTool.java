package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tool through which a model changes context blocks, described for a model API: pass the
 * name, description and JSON Schema of its input to the model (OpenAI calls the schema
 * {@code parameters}, Anthropic {@code input_schema}), and hand the arguments of a call back to
 * {@link ContextBlocks#applyTool}.
 *
 * @param name the tool's name, {@value ContextBlocks#TOOL_NAME}
 * @param description what it does and which blocks it may write
 * @param inputSchema the JSON Schema of its arguments: {@code label}, {@code content}, {@code action}
 */
public record ContextTool(String name, String description, JsonNode inputSchema) {}
