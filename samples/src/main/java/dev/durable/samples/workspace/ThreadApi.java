package dev.durable.samples.workspace;

/** What a {@link Workspace} calls on its {@link MessageThread}s through typed stubs. */
public interface ThreadApi {
  /**
   * Makes this object the thread described; calling it again with the same thread changes
   * nothing, so a workspace may retry it.
   *
   * @return the thread as stored
   */
  ThreadInfo create(ThreadInfo thread);

  /** Deletes the thread with all its messages ({@code deleteAll}); deleting twice is harmless. */
  void delete();
}
