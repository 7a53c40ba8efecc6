package dev.durable.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableObjectException;
import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import dev.durable.Env;
import dev.durable.testkit.DurableObjectsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sub-agents: child agents on facets, reached through typed stubs of their parent. */
class SubAgentTest {
  /** What a parent asks of its chats. */
  public interface ChatApi {
    List<String> say(String text);

    List<String> transcript();

    void remindIn(long seconds, String text);
  }

  /** What the test asks of an inbox. */
  public interface InboxApi {
    List<String> sayIn(String chat, String text);

    List<String> chats();

    boolean hasChat(String chat);

    boolean deleteChat(String chat);

    void remindIn(String chat, long seconds, String text);

    String inboxState();
  }

  /** A parent agent holding chats. */
  public static class Inbox extends Agent<String> implements InboxApi {
    public Inbox(DurableObjectState ctx, Env env) {
      super(ctx, env, String.class);
    }

    @Override
    protected String initialState() {
      return "inbox of " + name();
    }

    @Override
    public List<String> sayIn(String chat, String text) {
      return subAgent(Chat.class, chat, ChatApi.class).say(text);
    }

    @Override
    public List<String> chats() {
      return listSubAgents(Chat.class);
    }

    @Override
    public boolean hasChat(String chat) {
      return hasSubAgent(Chat.class, chat);
    }

    @Override
    public boolean deleteChat(String chat) {
      return deleteSubAgent(Chat.class, chat);
    }

    @Override
    public void remindIn(String chat, long seconds, String text) {
      subAgent(Chat.class, chat, ChatApi.class).remindIn(seconds, text);
    }

    @Override
    public String inboxState() {
      return state();
    }
  }

  /** A child agent: its state is its transcript. */
  public static class Chat extends Agent<Chat.Transcript> implements ChatApi {
    public record Transcript(List<String> lines) {}

    public Chat(DurableObjectState ctx, Env env) {
      super(ctx, env, Transcript.class);
    }

    @Override
    protected Transcript initialState() {
      return new Transcript(List.of());
    }

    @Override
    public List<String> say(String text) {
      List<String> lines = new ArrayList<>(state().lines());
      lines.add(name() + ": " + text);
      setState(new Transcript(lines));
      return lines;
    }

    @Override
    public List<String> transcript() {
      return state().lines();
    }

    @Override
    public void remindIn(long seconds, String text) {
      schedule(Duration.ofSeconds(seconds), "say", text);
    }
  }

  @RegisterExtension
  DurableObjectsExtension dos = DurableObjectsExtension.builder().bind("INBOX", Inbox.class).build();

  private InboxApi inbox(String name) {
    return dos.stub("INBOX", name).as(InboxApi.class);
  }

  @Test
  void aSubAgentIsMadeOnFirstUseAndKeepsItsOwnState() {
    assertThat(inbox("ada").chats()).isEmpty();

    inbox("ada").sayIn("work", "hello");
    List<String> lines = inbox("ada").sayIn("work", "again");

    assertThat(lines).containsExactly("work: hello", "work: again");
    assertThat(inbox("ada").sayIn("home", "hi")).containsExactly("home: hi");
    assertThat(inbox("ada").inboxState()).as("the parent's state is its own").isEqualTo("inbox of ada");
    assertThat(inbox("bob").chats()).as("another inbox has no chats").isEmpty();
  }

  @Test
  void theParentListsChecksAndDeletesItsSubAgents() {
    inbox("ada").sayIn("work", "x");
    inbox("ada").sayIn("home", "y");
    assertThat(inbox("ada").chats()).containsExactly("home", "work");
    assertThat(inbox("ada").hasChat("work")).isTrue();

    assertThat(inbox("ada").deleteChat("work")).isTrue();
    assertThat(inbox("ada").deleteChat("work")).isFalse();

    assertThat(inbox("ada").chats()).containsExactly("home");
    assertThat(inbox("ada").sayIn("work", "fresh")).as("made again, empty").containsExactly("work: fresh");
  }

  @Test
  void aSubAgentsStateSurvivesEviction() {
    DurableObjectStub parent = dos.stub("INBOX", "ada");
    inbox("ada").sayIn("work", "kept");
    dos.evict(dos.facet(parent, "work"));
    dos.evict(parent);

    assertThat(inbox("ada").sayIn("work", "after")).containsExactly("work: kept", "work: after");
  }

  @Test
  void aSubAgentsScheduleFiresOnItsOwnAlarm() {
    inbox("ada").remindIn("work", 60, "stand up");

    dos.clock().advance(Duration.ofSeconds(60));

    DurableObjectStub chat = dos.facet(dos.stub("INBOX", "ada"), "work");
    assertThat(chat.as(ChatApi.class).transcript()).containsExactly("work: stand up");
  }

  @Test
  void theTestKitReachesASubAgentThroughItsParent() {
    DurableObjectStub parent = dos.stub("INBOX", "ada");
    inbox("ada").sayIn("work", "x");

    assertThat(dos.facetNames(parent)).containsExactly("work");
    List<String> lines = dos.callInDurableObject(dos.facet(parent, "work"),
        (Chat chat, DurableObjectState ctx) -> chat.state().lines());
    assertThat(lines).containsExactly("work: x");
    assertThatThrownBy(() -> dos.facet(parent, "nope"))
        .hasMessageContaining("has no facet named 'nope'; its facets: [work]");
  }

  @Test
  void aSubAgentCannotHaveSubAgentsOfItsOwn() {
    inbox("ada").sayIn("work", "x");
    DurableObjectStub chat = dos.facet(dos.stub("INBOX", "ada"), "work");
    assertThatThrownBy(() -> dos.callInDurableObject(chat,
        (Chat c, DurableObjectState ctx) -> c.subAgent(Chat.class, "nested")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("facets cannot have facets of their own");
  }

  @Test
  void aBadNameIsRefused() {
    assertThatThrownBy(() -> inbox("ada").sayIn("", "x")).isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("Facet name must be a non-empty string");
  }
}
