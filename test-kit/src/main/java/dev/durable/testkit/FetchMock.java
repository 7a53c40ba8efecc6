package dev.durable.testkit;

import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.OutboundFetch;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Answers the outbound fetches of objects and the worker ({@code ctx.fetch(request)}) from the
 * test; nothing reaches the network. A request no route matches fails in the object with a
 * message naming its method and URL, and fails the test at its end even if the object caught
 * the error.
 *
 * <pre>{@code
 * dos.fetchMock()
 *     .on("GET", "https://api.example.com/users/1").reply(200, "{\"name\":\"Ada\"}")
 *     .on("POST", "https://hooks.example.com/*").reply(request -> Response.status(204));
 * }</pre>
 *
 * <p>Routes added later take precedence, so a test can override a route set up before it.
 */
public final class FetchMock implements OutboundFetch {
  /** What a route answers. */
  @FunctionalInterface
  private interface Answer {
    Response answer(Request request) throws Exception;
  }

  private record Route(String description, Predicate<Request> matcher, Answer answer) {}

  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Request> unmatched = new CopyOnWriteArrayList<>();

  FetchMock() {}

  /**
   * Starts a route for requests with this method and URL. The URL matches exactly (a missing
   * path counts as {@code /}); a URL ending in {@code *} matches every URL starting with the part
   * before it.
   */
  public RouteBuilder on(String method, String url) {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("A fetch mock route needs an HTTP method, got '" + method + "'");
    }
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("A fetch mock route needs a URL, got '" + url + "'");
    }
    String m = method.toUpperCase(Locale.ROOT);
    Predicate<Request> urlMatches;
    if (url.endsWith("*")) {
      String prefix = url.substring(0, url.length() - 1);
      urlMatches = r -> r.url().toString().startsWith(prefix);
    } else {
      String expected = normalize(url);
      urlMatches = r -> normalize(r.url().toString()).equals(expected);
    }
    return new RouteBuilder(m + " " + url, r -> r.method().equals(m) && urlMatches.test(r));
  }

  /** Starts a route for the requests a predicate accepts; the description names it in messages. */
  public RouteBuilder on(String description, Predicate<Request> matcher) {
    if (matcher == null) {
      throw new IllegalArgumentException("A fetch mock route needs a matcher");
    }
    return new RouteBuilder(description, matcher);
  }

  /** Every outbound request so far, matched or not, in the order made. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The outbound requests no route matched, in the order made. */
  public List<Request> unmatched() {
    return List.copyOf(unmatched);
  }

  /** Forgets every route and every recorded request. */
  public void reset() {
    routes.clear();
    requests.clear();
    unmatched.clear();
  }

  /** Answers a request from the newest matching route; fails naming it when none matches. */
  @Override
  public Response fetch(Request request) throws Exception {
    requests.add(request);
    for (int i = routes.size() - 1; i >= 0; i--) {
      Route route = routes.get(i);
      if (route.matcher().test(request)) {
        Response response = route.answer().answer(request);
        if (response == null) {
          throw new IllegalStateException("The fetch mock route '" + route.description()
              + "' answered " + describe(request) + " with null");
        }
        return response;
      }
    }
    unmatched.add(request);
    List<String> known = routes.stream().map(Route::description).toList();
    throw new IllegalStateException("No fetch mock route matches " + describe(request)
        + " (routes: " + (known.isEmpty() ? "none" : String.join(", ", known))
        + "); add one with fetchMock().on(\"" + request.method() + "\", \"" + request.url()
        + "\").reply(...)");
  }

  /** Takes the requests no route matched since the last call, for the test's failure. */
  List<Request> drainUnmatched() {
    List<Request> drained = new ArrayList<>(unmatched);
    unmatched.removeAll(drained);
    return drained;
  }

  static String describe(Request request) {
    return request.method() + " " + request.url();
  }

  private static String normalize(String url) {
    try {
      URI u = URI.create(url).normalize();
      if (u.getRawPath() == null || u.getRawPath().isEmpty()) {
        u = new URI(u.getScheme(), u.getRawAuthority(), "/", u.getRawQuery(), u.getRawFragment());
      }
      return u.toString();
    } catch (Exception e) {
      return url;
    }
  }

  /** The second half of a route: what it answers. */
  public final class RouteBuilder {
    private final String description;
    private final Predicate<Request> matcher;

    private RouteBuilder(String description, Predicate<Request> matcher) {
      this.description = description;
      this.matcher = matcher;
    }

    /** Answers every matching request with this response. */
    public FetchMock reply(Response response) {
      if (response == null) {
        throw new IllegalArgumentException("reply() needs a response for '" + description + "'");
      }
      return add(r -> response);
    }

    /** Answers every matching request with this status and UTF-8 body. */
    public FetchMock reply(int status, String body) {
      return reply(Response.builder(status).body(body == null ? "" : body).build());
    }

    /** Answers each matching request with what the function makes of it. */
    public FetchMock reply(Function<Request, Response> answer) {
      if (answer == null) {
        throw new IllegalArgumentException("reply() needs a function for '" + description + "'");
      }
      return add(answer::apply);
    }

    /** Fails every matching request with this exception, as a network error would. */
    public FetchMock fail(Exception error) {
      if (error == null) {
        throw new IllegalArgumentException("fail() needs an exception for '" + description + "'");
      }
      return add(r -> {
        throw error;
      });
    }

    private FetchMock add(Answer answer) {
      routes.add(new Route(description, matcher, answer));
      return FetchMock.this;
    }
  }
}
