package dev.durable.explorer;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may use the explorer. The explorer runs SQL on the developer's data, so a web page must not
 * reach it: a {@code Host} that is not a loopback name is refused (a DNS-rebinding page addresses
 * the server by its own domain), and so is an {@code Origin} that is not a loopback page (a
 * drive-by page). With an explorer token (for a server bound to another host) every request must
 * carry {@code Authorization: Bearer <token>}, and the configured host is allowed too.
 */
final class RequestGuard {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private final String boundHost;
  private final byte[] token;

  /**
   * @param boundHost the host the server binds, allowed as a {@code Host} when a token is set
   * @param token the explorer token, or null for none
   */
  RequestGuard(String boundHost, String token) {
    this.boundHost = boundHost == null ? "" : normalizeHost(boundHost);
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  boolean requiresToken() {
    return token != null;
  }

  /**
   * Refuses (403) a request whose {@code Host} or {@code Origin} is not allowed. Returns the
   * Origin to echo in CORS headers (a loopback page's), or null when there is none.
   */
  String checkSource(Context ctx) {
    String host = ctx.header("Host");
    if (host != null && !host.isBlank() && !isAllowedHost(hostOf(host))) {
      throw new ApiException(403, ApiException.FORBIDDEN, "Host '" + host + "' is not allowed: the"
          + " explorer answers only requests addressed to localhost, 127.0.0.1 or [::1], which"
          + " stops DNS rebinding" + (token == null
          ? "; to reach it through another host name, bind that host and set an explorer token" : ""));
    }
    String origin = ctx.header("Origin");
    if (origin == null) {
      return null;
    }
    if (!isAllowedOrigin(origin)) {
      throw new ApiException(403, ApiException.FORBIDDEN, "Origin '" + origin + "' is not allowed:"
          + " the explorer answers only pages served from localhost, 127.0.0.1 or [::1]");
    }
    return origin;
  }

  /** Refuses (401) a request without the explorer token, when one is configured. */
  void checkToken(Context ctx) {
    if (token == null) {
      return;
    }
    String auth = ctx.header("Authorization");
    String prefix = "bearer ";
    if (auth == null || auth.length() <= prefix.length()
        || !auth.substring(0, prefix.length()).equalsIgnoreCase(prefix)) {
      throw new ApiException(401, ApiException.UNAUTHORIZED, "The explorer needs its token: send"
          + " 'Authorization: Bearer <token>' (the token given with --explorer-token)");
    }
    byte[] given = auth.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      throw new ApiException(401, ApiException.UNAUTHORIZED, "The explorer token is wrong");
    }
  }

  /**
   * Refuses (415) a write whose body is not declared as JSON: POST, PUT and PATCH always, DELETE
   * when it has a body. A page can send a form or text cross-site without asking; JSON it cannot.
   */
  void checkContentType(Context ctx, boolean hasBody) {
    String method = ctx.method().name();
    boolean write = method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
        || (method.equals("DELETE") && hasBody);
    if (!write) {
      return;
    }
    String type = ctx.header("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new ApiException(415, ApiException.NOT_JSON, method + " requests to the explorer need"
          + " 'Content-Type: application/json', got " + (type == null ? "none" : "'" + type + "'"));
    }
  }

  /** CORS headers for an allowed Origin (on every answer, and on a preflight). */
  static void addCorsHeaders(Context ctx, String origin) {
    ctx.header("Vary", "Origin");
    if (origin == null) {
      return;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
    ctx.header("Access-Control-Expose-Headers", "Content-Disposition");
    ctx.header("Access-Control-Max-Age", "600");
  }

  /** Whether a host name (as in a Host header, without port) may address the explorer. */
  boolean isAllowedHost(String hostName) {
    String host = normalizeHost(hostName);
    if (isLoopback(host)) {
      return true;
    }
    if (token == null) {
      return false;
    }
    return isWildcard(boundHost) || host.equals(boundHost);
  }

  private boolean isAllowedOrigin(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null || scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return false; // includes "null", the origin of sandboxed frames and files
    }
    return isAllowedHost(normalizeHost(uri.getHost()));
  }

  /** The host part of a Host header: without port and brackets, lower case, no trailing dot. */
  static String hostOf(String hostHeader) {
    String h = hostHeader.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return normalizeHost(close < 0 ? h : h.substring(0, close + 1));
    }
    int colon = h.lastIndexOf(':');
    return normalizeHost(colon < 0 ? h : h.substring(0, colon));
  }

  private static String normalizeHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** localhost, *.localhost (browsers resolve them to loopback themselves), 127.0.0.0/8, ::1. */
  static boolean isLoopback(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    var m = IPV4.matcher(host);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return m.group(1).equals("127");
    }
    if (host.contains(":") && host.matches("[0-9a-f:.]+")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no DNS lookup
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static boolean isWildcard(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }
}
