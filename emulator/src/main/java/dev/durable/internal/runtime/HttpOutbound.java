package dev.durable.internal.runtime;

import dev.durable.Headers;
import dev.durable.Request;
import dev.durable.Response;
import dev.durable.runtime.OutboundFetch;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Outbound fetch over the JDK's HTTP client. */
final class HttpOutbound implements OutboundFetch {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  /** Made on the first outbound request: most runs never make one, and a client starts a thread. */
  private HttpClient client;

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
    }
    return client;
  }

  @Override
  public Response fetch(Request request) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(request.url())
        .method(request.method(), request.bodyLength() == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    for (Map.Entry<String, List<String>> h : request.headers().asMap().entrySet()) {
      if (!RESTRICTED.contains(h.getKey())) {
        h.getValue().forEach(v -> b.header(h.getKey(), v));
      }
    }
    HttpResponse<byte[]> r = client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Headers.Builder headers = Headers.builder();
    r.headers().map().forEach((k, vs) -> {
      if (!k.startsWith(":")) {
        vs.forEach(v -> headers.add(k, v));
      }
    });
    return Response.builder(r.statusCode()).headers(headers.build()).body(r.body()).build();
  }
}
