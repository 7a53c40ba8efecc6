package dev.durable.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Callable} methods of one agent class, found once per class, and how an {@code rpc}
 * frame calls them. Every frame gets a reply with its id: a client whose call got none would
 * wait 30 seconds for its timeout.
 */
final class CallableMethods {
  private static final ClassValue<CallableMethods> BY_CLASS = new ClassValue<>() {
    @Override
    protected CallableMethods computeValue(Class<?> type) {
      return new CallableMethods(type);
    }
  };

  private final Map<String, Method> callables = new HashMap<>();
  private final Set<String> otherMethods = new HashSet<>();

  private CallableMethods(Class<?> agentClass) {
    for (Class<?> c = agentClass; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isSynthetic() || m.isBridge()) {
          continue;
        }
        Callable callable = m.getAnnotation(Callable.class);
        if (callable == null) {
          otherMethods.add(m.getName());
          continue;
        }
        check(agentClass, m, callable);
        Method earlier = callables.putIfAbsent(m.getName(), m);
        if (earlier != null && !overrides(earlier, m)) {
          throw new IllegalStateException(agentClass.getName() + " has two @Callable methods named '"
              + m.getName() + "'; clients call methods by name, so give them different names");
        }
      }
    }
  }

  static CallableMethods of(Class<?> agentClass) {
    return BY_CLASS.get(agentClass);
  }

  /** Answers one {@code rpc} frame from a connection. */
  void answer(Agent<?> agent, Connection connection, JsonNode frame) {
    JsonNode id = frame.path("id");
    String name = frame.path("method").asText("");
    Method method = callables.get(name);
    if (method == null) {
      connection.sendIfOpen(Frames.failure(id, "Method " + name
          + (otherMethods.contains(name) ? " is not callable" : " does not exist")));
      return;
    }
    JsonNode args = frame.path("args");
    boolean streaming = method.getAnnotation(Callable.class).streaming();
    StreamingResponse stream = streaming ? new StreamingResponse(connection, id) : null;
    try {
      Object[] values = arguments(method, args, stream);
      Object result = invoke(agent, method, values);
      if (stream != null) {
        stream.end();
        return;
      }
      ObjectNode reply = Frames.success(id);
      if (method.getReturnType() != void.class) {
        reply.set("result", AgentJson.tree(result));
      }
      connection.sendIfOpen(reply);
    } catch (Exception e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      if (stream != null) {
        stream.error(message);
      } else {
        connection.sendIfOpen(Frames.failure(id, message));
      }
    }
  }

  private static Object[] arguments(Method method, JsonNode args, StreamingResponse stream) {
    Type[] types = method.getGenericParameterTypes();
    int offset = stream == null ? 0 : 1;
    int expected = types.length - offset;
    int given = args.isArray() ? args.size() : 0;
    if (!args.isMissingNode() && !args.isNull() && !args.isArray()) {
      throw new IllegalArgumentException("Method " + method.getName() + ": \"args\" must be an array, got " + args);
    }
    if (given != expected) {
      throw new IllegalArgumentException("Method " + method.getName() + " takes " + expected
          + (expected == 1 ? " argument" : " arguments") + ", got " + given);
    }
    Object[] values = new Object[types.length];
    if (stream != null) {
      values[0] = stream;
    }
    for (int i = 0; i < expected; i++) {
      try {
        values[i + offset] = AgentJson.read(args.get(i), types[i + offset]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Method " + method.getName() + ", argument " + (i + 1)
            + ": " + e.getMessage(), e);
      }
    }
    return values;
  }

  private static Object invoke(Agent<?> agent, Method method, Object[] values) throws Exception {
    try {
      return method.invoke(agent, values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void check(Class<?> agentClass, Method m, Callable callable) {
    String where = agentClass.getName() + "." + m.getName();
    if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) {
      throw new IllegalStateException("@Callable method " + where + " must be public and not static");
    }
    Class<?>[] params = m.getParameterTypes();
    boolean streamFirst = params.length > 0 && params[0] == StreamingResponse.class;
    if (callable.streaming() && !streamFirst) {
      throw new IllegalStateException("@Callable(streaming = true) method " + where
          + " must take a StreamingResponse as its first parameter");
    }
    if (!callable.streaming() && streamFirst) {
      throw new IllegalStateException("@Callable method " + where
          + " takes a StreamingResponse: mark it @Callable(streaming = true)");
    }
  }

  private static boolean overrides(Method sub, Method sup) {
    return sub.getName().equals(sup.getName())
        && java.util.Arrays.equals(sub.getParameterTypes(), sup.getParameterTypes());
  }
}
