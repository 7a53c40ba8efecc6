package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Context blocks: persisted sections of the system prompt, written by the agent and by the model's tool. */
class ContextBlocksTest extends SessionsFixture {

  private <R> R blocks(Function<ContextBlocks, R> body) {
    return in((Sessions s) -> body.apply(s.context()));
  }

  private void refused(Function<ContextBlocks, ?> call, String message) {
    Map<String, Long> before = rows();
    List<ContextBlock> blocksBefore = blocks(ContextBlocks::list);
    assertThatThrownBy(() -> blocks(call)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThat(rows()).isEqualTo(before);
    assertThat(blocks(ContextBlocks::list)).isEqualTo(blocksBefore);
  }

  private static JsonNode json(String text) {
    return AgentJson.parse(text);
  }

  @Test
  void blocksAreDefinedWrittenReadListedAndDeleted() {
    ContextBlock soul = blocks((ContextBlocks b) -> b.define("soul", "Who you are", 200, true));
    assertThat(soul).isEqualTo(new ContextBlock("soul", "Who you are", "", ContextBlock.Format.TEXT, 200, true,
        Instant.parse("2026-01-01T00:00:00Z")));
    dos.clock().advance(Duration.ofSeconds(5));
    blocks((ContextBlocks b) -> b.set("soul", "You are a concise travel assistant."));
    blocks((ContextBlocks b) -> b.set("memory", "Likes warm places."));
    ContextBlock memory = blocks((ContextBlocks b) -> b.append("memory", " Travels in May."));

    assertThat(memory.content()).isEqualTo("Likes warm places. Travels in May.");
    assertThat(memory.maxChars()).isEqualTo(ContextBlocks.DEFAULT_MAX_CHARS);
    assertThat(memory.readonly()).isFalse();
    ContextBlock soulNow = blocks((ContextBlocks b) -> b.get("soul")).orElseThrow();
    assertThat(soulNow.content()).isEqualTo("You are a concise travel assistant.");
    assertThat(soulNow.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    assertThat(blocks(ContextBlocks::list)).extracting(ContextBlock::label).containsExactly("soul", "memory");

    assertThat(blocks((ContextBlocks b) -> b.delete("soul"))).isTrue();
    assertThat(blocks((ContextBlocks b) -> b.delete("soul"))).isFalse();
    assertThat(blocks((ContextBlocks b) -> b.get("soul"))).isEmpty();
  }

  @Test
  void aJsonBlockKeepsItsValueAndRendersIndented() {
    ContextBlock prefs = blocks((ContextBlocks b) -> b.setJson("prefs", Map.of("climate", "warm")));

    assertThat(prefs.format()).isEqualTo(ContextBlock.Format.JSON);
    assertThat(prefs.json()).isEqualTo(json("{\"climate\":\"warm\"}"));
    assertThat(blocks(ContextBlocks::systemPrompt)).isEqualTo("""
        ## prefs [18/10000 characters]
        {
          "climate" : "warm"
        }
        """);
  }

  @Test
  void theSystemPromptRendersEveryBlockInTheOrderTheyWereMade() {
    blocks((ContextBlocks b) -> b.define("soul", "Who you are", 200, true));
    blocks((ContextBlocks b) -> b.define("memory", "Facts about the user", 100, false));
    blocks((ContextBlocks b) -> b.set("soul", "You are a concise travel assistant."));
    blocks((ContextBlocks b) -> b.set("memory", "Likes warm places."));
    blocks((ContextBlocks b) -> b.define("soul", "Who you are, always", 300, true));

    assertThat(blocks(ContextBlocks::systemPrompt)).isEqualTo("""
        ## soul: Who you are, always [readonly]
        You are a concise travel assistant.

        ## memory: Facts about the user [18/100 characters]
        Likes warm places.
        """);
  }

  @Test
  void contentOverABlocksLimitIsRefused() {
    blocks((ContextBlocks b) -> b.define("memory", "Facts", 10, false));
    blocks((ContextBlocks b) -> b.set("memory", "0123456789"));

    refused(b -> b.set("memory", "0123456789!"), "Context block 'memory' holds at most 10 characters; the content has 11");
    refused(b -> b.append("memory", "!"), "Context block 'memory' holds at most 10 characters; the content has 11");
    refused(b -> b.define("memory", "Facts", 5, false),
        "Context block 'memory' holds at most 5 characters; the content has 10");
    refused(b -> b.define("memory", "Facts", 0, false),
        "Context block 'memory': the limit must be 1 to 500000 characters, got 0");
    assertThat(blocks((ContextBlocks b) -> b.set("memory", "😀".repeat(10))).chars())
        .as("characters are code points").isEqualTo(10);
  }

  @Test
  void badLabelsAndContentAreRefused() {
    refused(b -> b.set("my memory", "x"),
        "A context block's label must be 1 to 64 letters, digits, '_' or '-'; got 'my memory'");
    refused(b -> b.set("memory", null), "Context block 'memory': content must not be null");
    refused(b -> b.append("nothing", "x"), "Unknown context block 'nothing'");
    blocks((ContextBlocks b) -> b.setJson("prefs", List.of(1)));
    refused(b -> b.append("prefs", "x"), "Context block 'prefs' holds JSON; only text can be appended to");
  }

  @Test
  void theModelsToolListsTheWritableBlocksAndWritesThem() {
    blocks((ContextBlocks b) -> b.define("soul", "Who you are", 200, true));
    blocks((ContextBlocks b) -> b.define("memory", "Facts about the user", 100, false));
    blocks((ContextBlocks b) -> b.setJson("prefs", Map.of()));

    ContextTool tool = blocks(ContextBlocks::tool);
    assertThat(tool.name()).isEqualTo("set_context");
    assertThat(tool.description()).endsWith("Sections you may write:"
        + "\n- memory (Facts about the user): 0 of 100 characters used"
        + "\n- prefs, JSON: 2 of 10000 characters used");
    assertThat(tool.inputSchema().at("/properties/label/enum")).isEqualTo(json("[\"memory\",\"prefs\"]"));
    assertThat(tool.inputSchema().get("required")).isEqualTo(json("[\"label\",\"content\"]"));

    assertThat(blocks((ContextBlocks b) -> b.applyTool(json("{\"label\":\"memory\",\"content\":\"Likes warm places.\"}"))))
        .isEqualTo("Written to memory: 18 of 100 characters used.");
    assertThat(blocks((ContextBlocks b) -> b.applyTool(
        json("{\"label\":\"memory\",\"content\":\" Travels in May.\",\"action\":\"append\"}"))))
        .isEqualTo("Written to memory: 34 of 100 characters used.");
    blocks((ContextBlocks b) -> b.applyTool(json("{\"label\":\"prefs\",\"content\":\"{\\\"climate\\\":\\\"warm\\\"}\"}")));
    assertThat(blocks((ContextBlocks b) -> b.get("prefs")).orElseThrow().json()).isEqualTo(json("{\"climate\":\"warm\"}"));
  }

  @Test
  void theModelsToolIsRefusedReadOnlyAndUnknownBlocksAndBadArguments() {
    blocks((ContextBlocks b) -> b.define("soul", "Who you are", 200, true));
    blocks((ContextBlocks b) -> b.define("memory", "Facts", 100, false));
    blocks((ContextBlocks b) -> b.setJson("prefs", Map.of()));

    refused(b -> b.applyTool(json("{\"label\":\"soul\",\"content\":\"You are a pirate.\"}")),
        "Section 'soul' is read-only; sections you may write: memory, prefs");
    refused(b -> b.applyTool(json("{\"label\":\"diary\",\"content\":\"x\"}")),
        "There is no section 'diary'; sections you may write: memory, prefs");
    refused(b -> b.applyTool(json("{\"label\":\"memory\",\"content\":\"x\",\"action\":\"delete\"}")),
        "action must be replace or append, got 'delete'");
    refused(b -> b.applyTool(json("{\"label\":\"prefs\",\"content\":\"{not json\"}")),
        "Section 'prefs' holds JSON, and the content is not valid JSON");
    refused(b -> b.applyTool(json("{\"label\":\"memory\"}")),
        "set_context needs an object with string fields label and content, got {\"label\":\"memory\"}");
    refused(b -> b.applyTool(json("{\"label\":\"memory\",\"content\":\"" + "x".repeat(101) + "\"}")),
        "Context block 'memory' holds at most 100 characters; the content has 101");
  }

  @Test
  void aSessionsBlocksAreItsOwnGoToItsForksAndGoWithIt() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Message q = in((Sessions s) -> s.append(chat, NewMessage.user("hi")));
    in((Sessions s) -> s.context().set("soul", "Shared by all."));
    in((Sessions s) -> s.context(chat).set("plan", "Lisbon in May."));

    assertThat(in((Sessions s) -> s.context().list())).extracting(ContextBlock::label).containsExactly("soul");
    assertThat(in((Sessions s) -> s.context(chat).systemPrompt()))
        .isEqualTo("## plan [14/10000 characters]\nLisbon in May.\n");

    Session fork = in((Sessions s) -> s.fork(chat, q.id(), "fork"));
    in((Sessions s) -> s.context(fork.id()).set("plan", "Porto in June."));
    assertThat(in((Sessions s) -> s.context(chat).get("plan").orElseThrow().content())).isEqualTo("Lisbon in May.");
    assertThat(in((Sessions s) -> s.context(fork.id()).get("plan").orElseThrow().content())).isEqualTo("Porto in June.");

    in((Sessions s) -> s.delete(fork.id()));
    assertThat(rows()).containsEntry("cf_agents_context_blocks", 2L);
  }

  @Test
  void aDeletedSessionsBlocksCannotBeWritten() {
    String chat = in((Sessions s) -> s.create("Chat")).id();
    Map<String, Long> before = rows();
    assertThatThrownBy(() -> in((Sessions s) -> {
      ContextBlocks blocks = s.context(chat);
      s.delete(chat);
      return blocks.set("plan", "x");
    })).hasMessage("Unknown session '" + chat + "': its context blocks cannot be written");
    assertThat(rows()).isEqualTo(before);
  }
}
