package dev.durable.testkit;

/**
 * One server-sent event as a client reads it: its type ({@code message} when the stream named
 * none), its data (lines joined with {@code \n}) and its id (null when it had none).
 */
public record ServerSentEvent(String event, String data, String id) {}
