package dev.durable.agents;

import dev.durable.Env;
import dev.durable.ExecutionContext;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.Worker;

/** The worker of the fiber process test: {@code /steps/{name}} goes to the {@link StepFibers} agent of that name. */
public class StepFibersWorker implements Worker {
  @Override
  public Response fetch(Request request, Env env, ExecutionContext ctx) {
    String[] parts = request.path().split("/", 3);
    if (parts.length < 3 || !parts[1].equals("steps") || parts[2].isEmpty()) {
      return Response.status(404, "no route " + request.path());
    }
    return env.durableObject("STEPS").getByName(parts[2]).fetch(request);
  }
}
