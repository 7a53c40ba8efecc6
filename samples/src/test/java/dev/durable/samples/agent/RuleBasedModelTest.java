package dev.durable.samples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.samples.agent.Model.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBasedModelTest {
  private static Message user(long id, String text) {
    return new Message(id, id == 1 ? null : id - 1, "user", text, null, null, 1L, "2026-01-01T00:00:00Z");
  }

  private static Message tool(long id, String name, String output) {
    return new Message(id, id - 1, "tool", output, name, "x", 1L, "2026-01-01T00:00:00Z");
  }

  @Test
  void eachUnderstoodClauseBecomesOneToolCallInOrder() {
    assertThat(RuleBasedModel.plan("Fetch http://a.test/x, then what is 3 x 4? Search for trains; and then 7 - 2. Hello."))
        .containsExactly(new Step.UseTool("fetch", "http://a.test/x"), new Step.UseTool("calculate", "3 * 4"),
            new Step.UseTool("search", "trains"), new Step.UseTool("calculate", "7 - 2"));
  }

  @Test
  void datesAndHyphensAreNotArithmetic() {
    assertThat(RuleBasedModel.plan("Meet on 2026-05-01 in well-lit rooms")).isEmpty();
  }

  @Test
  void theModelAsksForTheFirstToolWithoutOutputThenAnswers() {
    RuleBasedModel model = new RuleBasedModel();
    Message ask = user(1, "What is 2 + 3? Then search for lisbon");
    assertThat(model.next(List.of(ask))).isEqualTo(new Step.UseTool("calculate", "2 + 3"));
    Message first = tool(2, "calculate", "2 + 3 = 5.");
    assertThat(model.next(List.of(ask, first))).isEqualTo(new Step.UseTool("search", "lisbon"));
    Message second = tool(3, "search", "No earlier message mentions lisbon");
    assertThat(model.next(List.of(ask, first, second)))
        .isEqualTo(new Step.Answer("2 + 3 = 5. No earlier message mentions lisbon."));
  }

  @Test
  void onlyTheLatestUserMessageIsPlanned() {
    RuleBasedModel model = new RuleBasedModel();
    List<Message> branch = List.of(user(1, "What is 1 + 1?"), tool(2, "calculate", "1 + 1 = 2."),
        new Message(3, 2L, "assistant", "1 + 1 = 2.", null, null, 1L, "t"), user(4, "Thanks"));
    assertThat(model.next(branch)).isEqualTo(new Step.Answer("Noted: Thanks"));
  }

  @Test
  void calculateHandlesDecimalsDivisionAndDivisionByZero() {
    assertThat(Tools.calculate("1.5 * 4")).isEqualTo("1.5 * 4 = 6.");
    assertThat(Tools.calculate("1 / 3")).isEqualTo("1 / 3 = 0.3333333333333333.");
    assertThat(Tools.calculate("10 / 0")).isEqualTo("10 / 0 is undefined (division by zero).");
    assertThat(Tools.calculate("a + b")).isEqualTo("calculate takes numbers, got 'a + b'.");
  }

  @Test
  void waitAndResearchAreToolCallsAndAWaitOutsideOneToSixtySecondsIsNotAWait() {
    assertThat(RuleBasedModel.plan("Research lisbon, then wait 5 seconds; wait for 90 secs. Please wait 1 second"))
        .containsExactly(new Step.UseTool("research", "lisbon"), new Step.UseTool("wait", "5 seconds"),
            new Step.UseTool("wait", "90 seconds"), new Step.UseTool("wait", "1 second"));
    assertThat(Tools.waitSeconds("5 seconds")).hasValue(5);
    assertThat(Tools.waitSeconds("60 seconds")).hasValue(60);
    assertThat(Tools.waitSeconds("90 seconds")).isEmpty();
    assertThat(Tools.waitSeconds("0 seconds")).isEmpty();
  }
}
