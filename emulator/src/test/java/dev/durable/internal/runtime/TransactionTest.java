package dev.durable.internal.runtime;

import static dev.durable.internal.runtime.StorageTesting.inObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.runtime.DurableRuntime;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransactionTest {
  private final DurableRuntime runtime = RuntimeTestSupport.inMemory().build();

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void nestedTransactionRollsBackOnlyTheFailingOne() {
    inObject(runtime, "ALARM", "t", s -> {
      s.transaction(() -> {
        s.put("outer", 1);
        assertThatThrownBy(() -> s.transaction(() -> {
          s.put("inner", 2);
          s.sql().exec("CREATE TABLE inner_table(x)");
          s.setAlarm(Instant.parse("2100-01-01T00:00:00Z"));
          throw new IOException("inner fails");
        })).isInstanceOf(IOException.class).hasMessage("inner fails");
        s.transaction(() -> {
          s.put("sibling", 3);
          return null;
        });
        return null;
      });
      assertThat(s.list()).containsOnlyKeys("outer", "sibling");
      assertThat(s.getAlarm()).as("the alarm set in the failed transaction was undone").isEmpty();
      assertThat(s.sql().exec("SELECT name FROM sqlite_master WHERE name = 'inner_table'").toList())
          .isEmpty();
      return null;
    });
  }

  @Test
  void transactionReturnsTheBodysResult() {
    Integer result = inObject(runtime, "COUNTER", "r", s -> s.transaction(() -> {
      s.put("x", 41);
      return s.get("x", Integer.class).orElseThrow() + 1;
    }));
    assertThat(result).isEqualTo(42);
  }
}
