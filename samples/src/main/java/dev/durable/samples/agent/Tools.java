package dev.durable.samples.agent;

import dev.durable.DurableObjectState;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.agents.SearchHit;
import dev.durable.agents.SearchOptions;
import dev.durable.agents.Sessions;
import dev.durable.samples.Http;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The tools an agent's model may call. A tool's output is text that becomes a message of the
 * conversation; a tool that fails says so in its output (the model reads it), it does not throw,
 * except the researcher, a part of the agent itself, whose failure fails the step.
 *
 * <ul>
 *   <li>{@code calculate}: {@code a op b} with {@code + - * /}.
 *   <li>{@code search}: full-text search of the session's earlier messages.
 *   <li>{@code fetch}: an HTTP GET through {@code ctx.fetch}, with an {@code Idempotency-Key}
 *       naming the run and step, so a step repeated after a crash can be recognised downstream.
 *   <li>{@code research}: asks the session's {@link Researcher}, a sub-agent with notes of its own.
 *   <li>{@code wait}: 1 to 60 seconds; {@link AgentSession} waits on a schedule, this only words it.
 * </ul>
 */
final class Tools {
  static final int SEARCH_RESULTS = 3;
  static final int MAX_WAIT_SECONDS = 60;
  private static final int FETCHED_CHARS = 200;
  private static final Pattern SECONDS = Pattern.compile("(\\d{1,9}) seconds?");

  private final DurableObjectState ctx;
  private final Sessions sessions;
  private final String sessionId;
  private final Supplier<ResearcherApi> researcher;

  Tools(DurableObjectState ctx, Sessions sessions, String sessionId, Supplier<ResearcherApi> researcher) {
    this.ctx = ctx;
    this.sessions = sessions;
    this.sessionId = sessionId;
    this.researcher = researcher;
  }

  /** Runs one tool call of step {@code step} of a run whose prompt is message {@code promptId}. */
  String run(Model.Step.UseTool call, long runId, int step, long promptId) {
    return switch (call.tool()) {
      case "calculate" -> calculate(call.input());
      case "search" -> search(call.input(), promptId);
      case "fetch" -> fetch(call.input(), "run-" + runId + "-step-" + step + "@" + ctx.id());
      case "research" -> researcher.get().research(call.input()); // a failure is retried like the model's
      case "wait" -> waitSeconds(call.input()).isPresent() ? "Waited " + call.input() + "."
          : "wait takes 1 to " + MAX_WAIT_SECONDS + " seconds, not '" + call.input() + "'.";
      default -> "There is no tool named " + call.tool() + "; the tools are calculate, search, fetch, research"
          + " and wait.";
    };
  }

  /** The seconds a {@code wait} input such as "5 seconds" asks for, when within 1 to 60. */
  static OptionalInt waitSeconds(String input) {
    Matcher m = SECONDS.matcher(input);
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    int seconds = Integer.parseInt(m.group(1));
    return seconds >= 1 && seconds <= MAX_WAIT_SECONDS ? OptionalInt.of(seconds) : OptionalInt.empty();
  }

  static String calculate(String expression) {
    String[] parts = expression.strip().split("\\s+");
    if (parts.length != 3) {
      return "calculate takes 'a op b', got '" + expression + "'.";
    }
    BigDecimal a;
    BigDecimal b;
    try {
      a = new BigDecimal(parts[0]);
      b = new BigDecimal(parts[2]);
    } catch (NumberFormatException e) {
      return "calculate takes numbers, got '" + expression + "'.";
    }
    BigDecimal result = switch (parts[1]) {
      case "+" -> a.add(b);
      case "-" -> a.subtract(b);
      case "*" -> a.multiply(b);
      case "/" -> b.signum() == 0 ? null : a.divide(b, MathContext.DECIMAL64);
      default -> null;
    };
    if (result == null) {
      return parts[1].equals("/") ? expression + " is undefined (division by zero)."
          : "calculate knows + - * /, not " + parts[1] + ".";
    }
    return expression + " = " + result.stripTrailingZeros().toPlainString() + ".";
  }

  private String search(String terms, long promptId) {
    String query = Sessions.allWords(terms);
    List<SearchHit> matches = query.isEmpty() ? List.of() : sessions.search(sessionId, query,
        SearchOptions.DEFAULT.withLimit(SEARCH_RESULTS).before(Long.toString(promptId)));
    if (matches.isEmpty()) {
      return "No earlier message mentions " + terms + ".";
    }
    return "Earlier messages about " + terms + ": " + matches.stream()
        .map(m -> "#" + m.messageId() + " " + m.snippet())
        .collect(Collectors.joining(" | "));
  }


  private String fetch(String url, String idempotencyKey) {
    Request request;
    try {
      request = Request.builder("GET", url).header("idempotency-key", idempotencyKey).build();
    } catch (IllegalArgumentException e) {
      return "fetch could not use " + url + ": " + e.getMessage();
    }
    Response response;
    try {
      response = ctx.fetch(request);
    } catch (Exception e) {
      return "GET " + url + " failed: " + Http.failure(e);
    }
    String body = response.text().strip();
    if (body.length() > FETCHED_CHARS) {
      body = body.substring(0, FETCHED_CHARS) + "...";
    }
    return "GET " + url + " answered " + response.status() + (body.isEmpty() ? "." : ": " + body);
  }
}
