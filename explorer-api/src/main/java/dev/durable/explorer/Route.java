package dev.durable.explorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One route of the explorer: method, path template under the base (segments such as
 * {@code {namespace_id}} are parameters), handler, and what the OpenAPI document says about it.
 * Built once when the server starts; read-only afterwards.
 */
final class Route {
  /** A documented query parameter. */
  record QueryParam(String name, String type, String description) {}

  final String method;
  final String template;
  final List<String> segments;
  final ApiHandler handler;
  String operationId;
  String tag;
  String summary;
  String description;
  final List<QueryParam> query = new ArrayList<>();
  String requestSchema;
  String resultSchema;
  boolean collection;
  String downloadTypes;

  Route(String method, String template, ApiHandler handler) {
    this.method = method;
    this.template = template;
    this.segments = split(template);
    this.handler = handler;
  }

  /** Names the operation in the OpenAPI document. */
  Route doc(String tag, String operationId, String summary) {
    this.tag = tag;
    this.operationId = operationId;
    this.summary = summary;
    return this;
  }

  /** A longer description for the OpenAPI document. */
  Route describe(String text) {
    this.description = text;
    return this;
  }

  Route query(String name, String type, String text) {
    query.add(new QueryParam(name, type, text));
    return this;
  }

  /** The JSON body the route reads: a schema name of the document's components. */
  Route body(String schema) {
    this.requestSchema = schema;
    return this;
  }

  /** The route answers the success envelope with {@code result} of this schema. */
  Route result(String schema) {
    this.resultSchema = schema;
    return this;
  }

  /** The route answers a collection: {@code result} is an array of this schema, with result_info. */
  Route list(String schema) {
    this.resultSchema = schema;
    this.collection = true;
    return this;
  }

  /** The route answers a file (not the envelope) of one of these comma-separated content types. */
  Route download(String contentTypes) {
    this.downloadTypes = contentTypes;
    return this;
  }

  /** Path parameters, in order. */
  List<String> parameters() {
    return segments.stream().filter(Route::isParameter)
        .map(s -> s.substring(1, s.length() - 1)).toList();
  }

  static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  static List<String> split(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
