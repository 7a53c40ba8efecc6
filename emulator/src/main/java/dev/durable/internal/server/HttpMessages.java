package dev.durable.internal.server;

import dev.durable.Request;
import dev.durable.Response;
import java.io.InputStream;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The one conversion between HTTP as Jetty sees it and the worker's {@link Request} and
 * {@link Response}, for both ways a request reaches the worker (the worker's own route and
 * Javalin's, which WebSocket upgrades take).
 */
final class HttpMessages {
  private static final String DEFAULT_CONTENT_TYPE = "text/plain;charset=utf-8";

  private HttpMessages() {}

  /**
   * The request as the worker sees it: an absolute URL on the Host it was sent to, and the body
   * as a stream ({@code null}: none).
   */
  static Request toRequest(org.eclipse.jetty.server.Request request, InputStream body) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    String query = request.getHttpURI().getQuery();
    Request.Builder b = Request.builder(request.getMethod(), "http://"
        + (host == null || host.isBlank() ? "localhost" : host) + request.getHttpURI().getPath()
        + (query == null ? "" : "?" + query));
    for (HttpField field : request.getHeaders()) {
      b.header(field.getName(), field.getValue());
    }
    return (body == null ? b : b.body(body)).build();
  }

  /**
   * Passes the response's headers to {@code add}: {@code content-type} once (plain text when the
   * worker set none), {@code content-length} never, as the server sets it from the body (a
   * streamed body goes out chunked).
   */
  static void headers(Response response, BiConsumer<String, String> add) {
    response.headers().asMap().forEach((name, values) -> {
      if (name.equals("content-type")) {
        add.accept(name, values.getFirst());
      } else if (!name.equals("content-length")) {
        values.forEach(v -> add.accept(name, v));
      }
    });
    if (!response.headers().has("content-type")) {
      add.accept("content-type", DEFAULT_CONTENT_TYPE);
    }
  }
}
