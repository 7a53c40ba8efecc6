package dev.durable.agents;

import dev.durable.DurableObjectState;
import dev.durable.Env;
import dev.durable.Request;
import dev.durable.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent whose fibers work in steps, for the fiber tests. Each step adds one to its row of
 * {@code steps} (so a step done twice shows a count of two), stashes the next step and waits
 * {@code STEP_PAUSE_MS} (a minute unless the vars say otherwise) on the runtime's clock. Its
 * recovery hook writes what it was given into the state and resumes fibers named "steps",
 * leaves those named "leave" alone, and throws for those named "poison".
 *
 * <p>Over HTTP (the process test): {@code POST /?steps=N} runs a fiber of N steps,
 * {@code GET /} answers the fibers and the steps. With the var {@code PRINT} set it prints
 * {@code FIBER-STEP <i>} after each step is stashed and {@code FIBER-RECOVERED <next>} in the hook.
 */
public class StepFibers extends Agent<StepFibers.Log> implements StepFibersApi {
  /** A fiber's checkpoint: the step to do next, of how many. */
  public record Progress(int next, int total) {}

  /** What the recovery hook was given, in order: {@code "<name> next=<n> recovery=<k>"}. */
  public record Log(List<String> recoveries) {}

  /** What {@code GET /} answers. */
  public record Report(List<Fiber> fibers, Map<Integer, Integer> steps) {}

  /** Where the hook also puts the recovery it is given, for the test of resuming late; per instance. */
  private FiberRecovery[] keptRecovery;

  public StepFibers(DurableObjectState ctx, Env env) {
    super(ctx, env, Log.class);
    ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS steps (step INTEGER PRIMARY KEY, runs INTEGER NOT NULL)");
  }

  @Override
  protected Log initialState() {
    return new Log(List.of());
  }

  @Override
  protected Duration fiberHeartbeatInterval() {
    return Duration.ofMillis(Long.parseLong(env.var("HEARTBEAT_MS").orElse("600000")));
  }

  /** Scheduled by the tests, so that the manual clock starts it: a fiber of {@code total} steps. */
  public void startSteps(int total) throws Exception {
    runFiber("steps", fiber -> doSteps(fiber, total));
  }

  @Override
  public int steps(int total) throws Exception {
    return runFiber("steps", fiber -> doSteps(fiber, total));
  }

  @Override
  public void leave() throws Exception {
    waitAnHour("leave", "left");
  }

  @Override
  public void poison() throws Exception {
    waitAnHour("poison", "poisoned");
  }

  private void waitAnHour(String name, String stash) throws Exception {
    runFiber(name, fiber -> {
      fiber.stash(stash);
      ctx.sleep(Duration.ofHours(1));
      return null;
    });
  }

  /** Steps from the stashed one on; returns the total. */
  int doSteps(FiberContext fiber, int total) {
    int from = fiber.snapshot(Progress.class).map(Progress::next).orElse(0);
    Duration pause = Duration.ofMillis(Long.parseLong(env.var("STEP_PAUSE_MS").orElse("60000")));
    for (int step = from; step < total; step++) {
      ctx.storage().sql().exec("INSERT INTO steps (step, runs) VALUES (?, 1)"
          + " ON CONFLICT (step) DO UPDATE SET runs = runs + 1", step);
      fiber.stash(new Progress(step + 1, total));
      print("FIBER-STEP " + step);
      ctx.sleep(pause); // outgoing I/O: the step and its stash are committed before it
    }
    return total;
  }

  @Override
  protected void onFiberRecovered(FiberRecovery recovery) throws Exception {
    int next = recovery.name().equals("steps") ? recovery.snapshot(Progress.class).map(Progress::next).orElse(0) : 0;
    List<String> seen = new ArrayList<>(state().recoveries());
    seen.add(recovery.name() + " next=" + next + " recovery=" + recovery.recoveries());
    setState(new Log(seen));
    if (keptRecovery != null) {
      keptRecovery[0] = recovery;
    }
    print("FIBER-RECOVERED " + next);
    switch (recovery.name()) {
      case "steps" -> recovery.resume(fiber -> doSteps(fiber, recovery.snapshot(Progress.class).orElseThrow().total()));
      case "poison" -> throw new IllegalStateException("cannot recover poison");
      default -> { }
    }
  }

  void keepRecoveryIn(FiberRecovery[] holder) {
    keptRecovery = holder;
  }

  /** How often each step ran. */
  public Map<Integer, Integer> stepRuns() {
    Map<Integer, Integer> runs = new LinkedHashMap<>();
    ctx.storage().sql().exec("SELECT step, runs FROM steps ORDER BY step").forEach(row ->
        runs.put(((Number) row.get("step")).intValue(), ((Number) row.get("runs")).intValue()));
    return runs;
  }

  @Override
  protected Response onRequest(Request request) throws Exception {
    if (request.method().equals("POST")) {
      int total = Integer.parseInt(request.query("steps"));
      return Response.text(Integer.toString(steps(total)));
    }
    return Response.json(new Report(listFibers(), stepRuns()));
  }

  private void print(String line) {
    if (env.var("PRINT").isPresent()) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
