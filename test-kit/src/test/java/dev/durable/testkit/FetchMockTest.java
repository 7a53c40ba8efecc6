package dev.durable.testkit;

import static dev.durable.testkit.DurableAssertions.assertThat;
import static dev.durable.testkit.DurableAssertions.assertThatThrownBy;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.testkit.fixtures.App;
import dev.durable.testkit.fixtures.Counter;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FetchMockTest {
  @RegisterExtension
  static DurableObjectsExtension dos = DurableObjectsExtension.builder()
      .bind("COUNTER", Counter.class)
      .worker(new App())
      .build();

  private static Response proxy(String url) {
    return dos.worker().fetch("/proxy?url=" + url);
  }

  @Test
  void aRouteAnswersTheOutboundFetchOfTheWorker(FetchMock fetchMock) {
    fetchMock.on("GET", "https://api.example.com/users/1").reply(200, "ada");

    assertThat(proxy("https://api.example.com/users/1")).hasStatus(200).hasBody("upstream said: ada");
    assertThat(fetchMock.requests()).extracting(FetchMock::describe)
        .containsExactly("GET https://api.example.com/users/1");
  }

  @Test
  void theMethodMustMatchAndAMissingPathCountsAsSlash() throws Exception {
    FetchMock mock = new FetchMock();
    mock.on("post", "https://api.example.com").reply(201, "created");

    assertThat(mock.fetch(Request.post("https://api.example.com/", ""))).hasStatus(201);
    assertThatThrownBy(() -> mock.fetch(Request.get("https://api.example.com/")))
        .hasMessageStartingWith("No fetch mock route matches GET https://api.example.com/");
  }

  @Test
  void aUrlEndingInAStarMatchesByPrefix() {
    dos.fetchMock().on("GET", "https://cdn.example.com/assets/*").reply(req -> Response.text(req.path()));

    assertThat(proxy("https://cdn.example.com/assets/app.js")).hasBody("upstream said: /assets/app.js");
  }

  @Test
  void laterRoutesTakePrecedence() {
    dos.fetchMock().on("GET", "https://api.example.com/*").reply(500, "general");
    dos.fetchMock().on("GET", "https://api.example.com/special").reply(200, "special");

    assertThat(proxy("https://api.example.com/special")).hasBody("upstream said: special");
    assertThat(proxy("https://api.example.com/other")).hasStatus(500);
  }

  @Test
  void aRouteCanFailLikeTheNetwork() {
    dos.fetchMock().on("GET", "https://down.example.com/").fail(new IOException("connection refused"));

    assertThat(proxy("https://down.example.com/")).hasStatus(502).hasBody("upstream failed: connection refused");
  }

  @Test
  void anUnmatchedRequestFailsInTheObjectNamingMethodUrlAndRoutes() throws Exception {
    FetchMock mock = new FetchMock();
    mock.on("GET", "https://api.example.com/a").reply(200, "a");

    assertThatThrownBy(() -> mock.fetch(Request.builder("DELETE", "https://api.example.com/b").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No fetch mock route matches DELETE https://api.example.com/b (routes: GET"
            + " https://api.example.com/a); add one with fetchMock().on(\"DELETE\","
            + " \"https://api.example.com/b\").reply(...)");
    assertThat(mock.unmatched()).extracting(FetchMock::describe).containsExactly("DELETE https://api.example.com/b");
  }

  @Test
  void resetForgetsRoutesAndRequests() throws Exception {
    FetchMock mock = new FetchMock();
    mock.on("GET", "https://a.example.com/").reply(200, "a");
    mock.fetch(Request.get("https://a.example.com/"));

    mock.reset();

    assertThat(mock.requests()).isEmpty();
    assertThatThrownBy(() -> mock.fetch(Request.get("https://a.example.com/")))
        .hasMessageContaining("(routes: none)");
  }

  @Test
  void badRoutesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> dos.fetchMock().on("", "https://a.example.com/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an HTTP method");
    assertThatThrownBy(() -> dos.fetchMock().on("GET", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a URL");
    assertThatThrownBy(() -> dos.fetchMock().on("GET", "https://a.example.com/").reply((Response) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reply() needs a response");
  }
}
