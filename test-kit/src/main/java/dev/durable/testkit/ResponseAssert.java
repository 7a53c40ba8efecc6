package dev.durable.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.Response;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Response}; get one from {@link DurableAssertions#assertThat(Response)}.
 * Each failure message shows the actual status and body.
 */
public final class ResponseAssert extends AbstractAssert<ResponseAssert, Response> {
  /** Bodies longer than this are cut short in messages. */
  private static final int SHOWN_BODY_CHARS = 2000;

  ResponseAssert(Response actual) {
    super(actual, ResponseAssert.class);
  }

  /** Checks the status code. */
  public ResponseAssert hasStatus(int expected) {
    isNotNull();
    if (actual.status() != expected) {
      failWithMessage("Expected status %s, but was %s with body: %s", expected, actual.status(), body());
    }
    return this;
  }

  /** Checks that the body is exactly this text (read as UTF-8). */
  public ResponseAssert hasBody(String expected) {
    isNotNull();
    if (!actual.text().equals(expected)) {
      failWithMessage("Expected body %s, but was (status %s): %s", expected, actual.status(), body());
    }
    return this;
  }

  /**
   * Checks that the body is JSON equal to the given JSON text, whatever the spacing and key
   * order; numbers compare by value: {@code hasJsonBody("{\"count\": 2}")}.
   *
   * @throws IllegalArgumentException when {@code expectedJson} is not JSON
   */
  public ResponseAssert hasJsonBody(String expectedJson) {
    JsonNode expected = JsonValues.parseOrNull(expectedJson);
    if (expected == null) {
      throw new IllegalArgumentException("hasJsonBody() needs JSON text, got: " + expectedJson);
    }
    return hasJson(expected);
  }

  /** Checks that the body is JSON equal to this value once it is JSON (a map, a record...). */
  public ResponseAssert hasJsonBody(Object expectedValue) {
    return hasJson(JsonValues.tree(expectedValue));
  }

  private ResponseAssert hasJson(JsonNode expected) {
    isNotNull();
    JsonNode body = JsonValues.parseOrNull(actual.text());
    if (body == null) {
      failWithMessage("Expected a JSON body %s, but the body is not JSON (status %s): %s", expected,
          actual.status(), body());
    } else if (!JsonValues.same(expected, body)) {
      failWithMessage("Expected a JSON body %s, but was (status %s): %s", expected, actual.status(), body());
    }
    return this;
  }

  private String body() {
    String text = actual.text();
    return text.isEmpty() ? "(empty)" : ObjectSnapshot.shorten(text, SHOWN_BODY_CHARS);
  }
}
