package dev.durable.internal.server;

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
 * Who may use the emulator's own tools under {@code /cdn-cgi/} (the explorer, the scheduled
 * trigger): they run SQL on the developer's data and the worker's code, so neither another machine
 * nor a web page may reach them. Without a token only loopback callers are answered; a
 * {@code Host} that is not a loopback name is refused (a DNS-rebinding page addresses the server by
 * its own domain), and so is an {@code Origin} that is not a loopback page (a drive-by page). With
 * a token (for a server bound to another host) every request must carry
 * {@code Authorization: Bearer <token>}, and the bound host is allowed too.
 */
public final class ToolGuard {
  /** Why a request is refused: 403 (who or where it comes from) or 401 (the token). */
  public record Refusal(int status, String message) {}

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private final String boundHost;
  private final byte[] token;

  /**
   * @param boundHost the host the server binds, allowed as a {@code Host} when a token is set
   * @param token the tools' token, or null for none
   */
  public ToolGuard(String boundHost, String token) {
    this.boundHost = boundHost == null ? "" : normalizeHost(boundHost);
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether requests must carry the token. */
  public boolean requiresToken() {
    return token != null;
  }

  /**
   * Refuses a request from a caller, {@code Host} or {@code Origin} that is not allowed, or null
   * when it may go on.
   */
  public Refusal checkSource(Context ctx) {
    String caller = ctx.req().getRemoteAddr();
    if (token == null && caller != null && !isLoopbackAddress(caller)) {
      return new Refusal(403, "The explorer answers callers on other machines only with a token:"
          + " start the emulator with --explorer-token and send 'Authorization: Bearer <token>'");
    }
    String host = ctx.header("Host");
    if (host != null && !host.isBlank() && !isAllowedHost(hostOf(host))) {
      return new Refusal(403, "Host '" + host + "' is not allowed: the"
          + " explorer answers only requests addressed to localhost, 127.0.0.1 or [::1], which stops DNS rebinding"
          + (token == null
          ? "; to reach it through another host name, bind that host and set an explorer token" : ""));
    }
    String origin = ctx.header("Origin");
    if (origin != null && !isAllowedOrigin(origin)) {
      return new Refusal(403, "Origin '" + origin + "' is not allowed:"
          + " the explorer answers only pages served from localhost, 127.0.0.1 or [::1]");
    }
    return null;
  }

  /** Refuses a request without the token, when one is configured; else null. */
  public Refusal checkToken(Context ctx) {
    if (token == null) {
      return null;
    }
    String auth = ctx.header("Authorization");
    String prefix = "bearer ";
    if (auth == null || auth.length() <= prefix.length()
        || !auth.substring(0, prefix.length()).equalsIgnoreCase(prefix)) {
      return new Refusal(401, "The explorer needs its token: send"
          + " 'Authorization: Bearer <token>' (the token given with --explorer-token)");
    }
    byte[] given = auth.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token) ? null : new Refusal(401, "The explorer token is wrong");
  }

  /** Whether a host name (as in a Host header, without port) may address the tools. */
  public boolean isAllowedHost(String hostName) {
    String host = normalizeHost(hostName);
    // Without a token only loopback; with one, also the host the server is bound to.
    return isLoopback(host) || (token != null && (isWildcard(boundHost) || host.equals(boundHost)));
  }

  private boolean isAllowedOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      String scheme = uri.getScheme(); // none in "null", the origin of sandboxed frames and files
      return uri.getHost() != null && scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && isAllowedHost(normalizeHost(uri.getHost()));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The host part of a Host header: without port and brackets, lower case, no trailing dot. */
  public static String hostOf(String hostHeader) {
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
  public static boolean isLoopback(String host) {
    String h = normalizeHost(host);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    var m = IPV4.matcher(h);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return m.group(1).equals("127");
    }
    return h.contains(":") && h.matches("[0-9a-f:.]+") && isLoopbackAddress(h);
  }

  /** Whether an address literal (a caller's, as the server saw it) is a loopback address. */
  private static boolean isLoopbackAddress(String literal) {
    String a = normalizeHost(literal);
    if (!a.matches("[0-9a-f:.%a-z]+") || !(a.contains(":") || IPV4.matcher(a).matches())) {
      return false;
    }
    try {
      return InetAddress.getByName(a).isLoopbackAddress(); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isWildcard(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }
}
