package dev.durable.samples.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deterministic stand-in for a language model, so the agent sample runs and tests without one.
 * It reads the latest user message as a list of clauses (split at sentence ends, semicolons and
 * "then") and turns each clause it understands into one tool call, in order:
 *
 * <ul>
 *   <li>a clause with a URL: {@code fetch} it ("fetch http://127.0.0.1:8787/counter/hello");
 *   <li>a clause with arithmetic: {@code calculate} it ("what is 12 * 7");
 *   <li>a clause starting with search, find, look for or recall: {@code search} the session's
 *       history for the rest ("search for lisbon");
 *   <li>"research" and a topic: ask the session's {@link Researcher} ("research lisbon");
 *   <li>"wait N seconds": {@code wait} ("wait 5 seconds"); the tool takes 1 to 60.
 * </ul>
 *
 * Once every call has its output in the branch, it answers with the outputs as sentences; a message
 * with nothing to do is answered "Noted: ...". Same branch, same step, every time.
 */
public final class RuleBasedModel implements Model {
  private static final Pattern CLAUSE_BREAK =
      Pattern.compile("(?<=[.?!;])\\s+|,?\\s+(?:and\\s+)?then\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern URL = Pattern.compile("https?://[^\\s'\"<>]+");
  private static final Pattern ARITHMETIC = Pattern.compile(
      "(\\d+(?:\\.\\d+)?)(?:\\s*([+*/×])\\s*|\\s+([-x])\\s+)(\\d+(?:\\.\\d+)?)");
  private static final Pattern SEARCH = Pattern.compile(
      "^(?:please\\s+)?(?:search(?:\\s+for)?|find|look\\s+for|recall)\\s+(.+)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern RESEARCH = Pattern.compile("^(?:please\\s+)?research\\s+(.+)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern WAIT = Pattern.compile(
      "^(?:please\\s+)?wait\\s+(?:for\\s+)?(\\d{1,9})\\s*(?:s|secs?|seconds?)$", Pattern.CASE_INSENSITIVE);

  @Override
  public Step next(List<Message> branch) {
    int request = lastUserMessage(branch);
    if (request < 0) {
      throw new IllegalArgumentException("A run needs a user message in its branch; the branch has "
          + branch.size() + " message(s) and none is from the user");
    }
    List<Step.UseTool> plan = plan(branch.get(request).content());
    List<String> outputs = new ArrayList<>();
    for (Message m : branch.subList(request + 1, branch.size())) {
      if (m.role().equals("tool")) {
        outputs.add(m.content());
      }
    }
    if (outputs.size() < plan.size()) {
      return plan.get(outputs.size());
    }
    if (plan.isEmpty()) {
      return new Step.Answer("Noted: " + branch.get(request).content());
    }
    return new Step.Answer(outputs.stream().map(RuleBasedModel::sentence).collect(Collectors.joining(" ")));
  }

  /** The tool calls a request asks for, in the order its clauses ask. */
  static List<Step.UseTool> plan(String request) {
    List<Step.UseTool> calls = new ArrayList<>();
    for (String raw : CLAUSE_BREAK.split(request.strip())) {
      String clause = raw.strip().replaceAll("[.?!;,]+$", "").replaceFirst("(?i)^(?:and\\s+)?then\\s+", "");
      Matcher url = URL.matcher(clause);
      Matcher arithmetic = ARITHMETIC.matcher(clause);
      Matcher search = SEARCH.matcher(clause);
      Matcher research = RESEARCH.matcher(clause);
      Matcher wait = WAIT.matcher(clause);
      if (url.find()) {
        calls.add(new Step.UseTool("fetch", url.group().replaceAll("[.,;:!?)]+$", "")));
      } else if (wait.find()) {
        long seconds = Long.parseLong(wait.group(1));
        calls.add(new Step.UseTool("wait", seconds + (seconds == 1 ? " second" : " seconds")));
      } else if (research.find()) {
        calls.add(new Step.UseTool("research", research.group(1).strip()));
      } else if (arithmetic.find()) {
        String op = arithmetic.group(2) != null ? arithmetic.group(2) : arithmetic.group(3);
        op = op.equals("×") || op.toLowerCase(Locale.ROOT).equals("x") ? "*" : op;
        calls.add(new Step.UseTool("calculate", arithmetic.group(1) + " " + op + " " + arithmetic.group(4)));
      } else if (search.find()) {
        calls.add(new Step.UseTool("search", search.group(1).strip()));
      }
    }
    return calls;
  }

  private static String sentence(String text) {
    return text.matches("(?s).*[.!?]") ? text : text + ".";
  }

  private static int lastUserMessage(List<Message> branch) {
    for (int i = branch.size() - 1; i >= 0; i--) {
      if (branch.get(i).role().equals("user")) {
        return i;
      }
    }
    return -1;
  }
}
