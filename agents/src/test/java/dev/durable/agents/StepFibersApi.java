package dev.durable.agents;

/** What the fiber tests call on {@link StepFibers} through a typed stub; each call runs a fiber to its end. */
public interface StepFibersApi {
  /** A fiber of {@code total} steps named "steps"; returns the total. */
  int steps(int total) throws Exception;

  /** A fiber named "leave" that stashes "left" and waits an hour. */
  void leave() throws Exception;

  /** A fiber named "poison" that stashes "poisoned" and waits an hour. */
  void poison() throws Exception;
}
