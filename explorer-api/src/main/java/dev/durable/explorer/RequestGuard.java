package dev.durable.explorer;

import dev.durable.internal.server.ToolGuard;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * Who may use the explorer: the emulator's guard of its tools (loopback callers, Host and Origin,
 * the optional token), answered as explorer errors, and JSON-only writes.
 */
final class RequestGuard {
  private final ToolGuard tools;

  /** {@code token} may be null; with one, the {@code boundHost} is an allowed Host too. */
  RequestGuard(String boundHost, String token) {
    this.tools = new ToolGuard(boundHost, token);
  }

  boolean requiresToken() {
    return tools.requiresToken();
  }

  /**
   * Refuses (403) a request from a caller, {@code Host} or {@code Origin} that is not allowed.
   * Returns the Origin to echo in CORS headers (a loopback page's), or null when there is none.
   */
  String checkSource(Context ctx) {
    refuseIf(tools.checkSource(ctx));
    return ctx.header("Origin");
  }

  /** Refuses (401) a request without the explorer token, when one is configured. */
  void checkToken(Context ctx) {
    refuseIf(tools.checkToken(ctx));
  }

  private static void refuseIf(ToolGuard.Refusal refusal) {
    if (refusal != null) {
      throw new ApiException(refusal.status(),
          refusal.status() == 401 ? ApiException.UNAUTHORIZED : ApiException.FORBIDDEN, refusal.message());
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
}
