package dev.durable.samples.workspace;

import java.time.Instant;

/**
 * What a workspace's registry and the thread itself know about a thread.
 *
 * @param workspace the workspace the thread belongs to
 * @param id the thread's id within the workspace, e.g. {@code t1}
 * @param title what the thread is about
 * @param createdAt when the workspace created it
 */
public record ThreadInfo(String workspace, String id, String title, Instant createdAt) {}
