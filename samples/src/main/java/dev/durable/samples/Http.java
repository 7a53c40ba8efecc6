package dev.durable.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.durable.Request;
import dev.durable.Response;
import java.util.Arrays;
import java.util.List;

/** The few request and response chores every sample shares: path segments, JSON in and out. */
public final class Http {
  private Http() {}

  /** The path's segments without the empty first one: {@code /a/b/} gives {@code [a, b]}. */
  public static List<String> segments(Request request) {
    return Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Reads the body as JSON into a record; a missing or malformed body is a 400 that shows an
   * example of what to send. Fields the record lacks are ignored; fields the body lacks are null,
   * for the caller to check.
   */
  public static <T> T readJson(Request request, Class<T> type, String example) {
    if (request.bodyLength() == 0) {
      throw HttpError.badRequest("Send a JSON body like " + example);
    }
    try {
      T value = request.json(type);
      if (value == null) {
        throw HttpError.badRequest("The body is null; send a JSON object like " + example);
      }
      return value;
    } catch (IllegalArgumentException e) {
      String why = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw HttpError.badRequest("The body is not the JSON expected (" + firstLine(why)
          + "); send a JSON object like " + example);
    }
  }

  /** A JSON response with any status, e.g. 201 for a created resource. */
  public static Response json(int status, Object value) {
    return Response.builder(status).json(value).build();
  }

  /**
   * A name given by the client (a room, a workspace, a user): 1 to 64 characters, none of them
   * a control character. {@code what} names it in the error, e.g. {@code "author"}.
   */
  public static String name(String what, String value) {
    if (value == null || value.isBlank()) {
      throw HttpError.badRequest(what + " is missing or empty");
    }
    if (value.length() > 64) {
      throw HttpError.badRequest(what + " has at most 64 characters, got " + value.length());
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw HttpError.badRequest(what + " must not contain control characters");
    }
    return value;
  }

  /**
   * Why an outbound request failed, in a few words: the first message along the exception's
   * causes; for a connection that could not be made (often without any message) that it could
   * not connect; otherwise the name of the innermost exception.
   */
  public static String failure(Throwable error) {
    Throwable innermost = error;
    boolean connect = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return firstLine(t.getMessage());
      }
      connect |= t instanceof java.net.ConnectException;
      innermost = t;
    }
    return connect ? "could not connect (is anything listening there?)" : innermost.getClass().getSimpleName();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
