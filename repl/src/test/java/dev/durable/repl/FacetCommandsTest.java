package dev.durable.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableObjectState;
import dev.durable.DurableObjectStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'use' with a facet: the commands then work on the object's child instead of the object. */
class FacetCommandsTest {
  @TempDir
  Path dir;
  private ReplServer server;

  @BeforeEach
  void start() {
    server = ReplServer.start(dir);
    DurableObjectStub corner = ScriptModeTest.shop(server).getByName("corner");
    server.runtime.tools().runInObject(corner, (TestObjects.Shop shop, DurableObjectState ctx) ->
        ctx.facets().get("north", TestObjects.Shop.class).call("add", List.of("apples", 2)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void useChoosesAFacetAndTheOtherCommandsWorkOnIt() {
    ReplServer.Run run = server.script("""
        use SHOP corner
        info
        use SHOP corner north
        info
        call add "pears" 5
        list
        CREATE TABLE visits (who TEXT);
        INSERT INTO visits VALUES ('ada');
        sql SELECT who FROM visits
        use SHOP corner
        list
        tables
        use SHOP corner south
        """);

    assertThat(run.out()).as(run.toString()).contains("""
        facets     north (Shop)
        """, """
        Using SHOP/corner/north: 0 tables, 1 key-value entry, no alarm.
        facet      SHOP/corner/north
        ""","""
        namespace  app-Shop (a facet of SHOP/corner)
        ""","""
        5
         key         | value
        -------------+-------
         item:apples | 2
         item:pears  | 5
        (2 entries)
        """, """
         who
        -----
         ada
        (1 row)
        """, """
        Using SHOP/corner: nothing stored yet (the object is made when something is written).
         key | value
        -----+-------
        (0 entries)
        """);
    assertThat(run.out()).as("the parent has no table of the facet's").doesNotContain("visits (");
    assertThat(run.err()).as(run.toString()).contains("Object 'corner' has no facet named 'south'");
    assertThat(run.status()).isNotZero();
  }
}
