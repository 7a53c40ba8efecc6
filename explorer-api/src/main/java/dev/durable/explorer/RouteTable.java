package dev.durable.explorer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The explorer's routes and how a request path finds one. The explorer routes by itself under
 * its base path (instead of one Javalin route each) so that unknown paths and methods get the
 * envelope, and so that percent-encoded segments (names and keys may hold {@code /}) decode
 * exactly once.
 */
final class RouteTable {
  /** A route found for a request, with its decoded path parameters. */
  record Match(Route route, Map<String, String> parameters) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route for a method in upper case ({@code "GET"}) and a template under the base. */
  Route add(String method, String template, ApiHandler handler) {
    Route r = new Route(method, template, handler);
    for (Route other : routes) {
      if (other.method.equals(method) && other.segments.equals(r.segments)) {
        throw new IllegalStateException("Route " + method + " " + template + " is declared twice");
      }
    }
    routes.add(r);
    return r;
  }

  /** Every route, in declaration order. */
  List<Route> routes() {
    return Collections.unmodifiableList(routes);
  }

  /**
   * The route for a method and a raw (still percent-encoded) path below the base. Throws a 404 or
   * 405 {@link ApiException} when there is none (a 405 answers with {@link #methodsFor}).
   */
  Match match(String method, String rawPath) {
    List<String> raw = Route.split(rawPath);
    String lookup = method.equals("HEAD") ? "GET" : method;
    for (Route r : routes) {
      Map<String, String> params = r.method.equals(lookup) ? bind(r, raw) : null;
      if (params != null) {
        return new Match(r, params);
      }
    }
    Set<String> allowed = methodsFor(rawPath);
    if (!allowed.isEmpty()) {
      throw new ApiException(405, ApiException.METHOD_NOT_ALLOWED, "Method " + method
          + " not allowed for " + rawPath + "; allowed: " + String.join(", ", allowed));
    }
    throw new ApiException(404, ApiException.NO_ROUTE, "No route for that URI: " + method + " "
        + (rawPath.isEmpty() ? "/" : rawPath));
  }

  /** The methods a path answers, for an {@code Allow} header (empty when none). */
  Set<String> methodsFor(String rawPath) {
    List<String> raw = Route.split(rawPath);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      if (bind(r, raw) != null) {
        allowed.add(r.method);
      }
    }
    return allowed;
  }

  private static Map<String, String> bind(Route route, List<String> raw) {
    if (route.segments.size() != raw.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      String t = route.segments.get(i);
      if (Route.isParameter(t)) {
        params.put(t.substring(1, t.length() - 1), decode(raw.get(i)));
      } else if (!t.equals(raw.get(i))) {
        return null;
      }
    }
    return params;
  }

  /** Percent-decodes a path segment; unlike form decoding, {@code +} stays a plus sign. */
  static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("Malformed percent-encoding in path segment '" + segment + "'");
    }
  }
}
