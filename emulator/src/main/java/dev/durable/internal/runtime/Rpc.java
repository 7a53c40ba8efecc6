package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.internal.gate.Sneaky;
import dev.durable.internal.json.Json;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed RPC through stubs. Arguments are copied into the target's parameter types before the call
 * (so what cannot be copied fails in the caller), and the result is copied back inside the
 * object's event, like structured clone.
 */
final class Rpc {
  /** Per object class, interface method to implementing method (a class reloaded gets its own). */
  private static final ClassValue<Map<Method, Method>> TARGETS = new ClassValue<>() {
    @Override
    protected Map<Method, Method> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private Rpc() {}

  @SuppressWarnings("unchecked")
  static <T> T proxy(ObjectStub stub, Class<? extends DurableObject> objectClass, Class<T> iface) {
    if (iface == null || !iface.isInterface()) {
      throw new IllegalArgumentException("RPC needs an interface, got " + iface);
    }
    if (!iface.isAssignableFrom(objectClass)) {
      throw new IllegalArgumentException(objectClass.getName() + " does not implement "
          + iface.getName() + "; a stub can only be used through an interface its class implements");
    }
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "RPC " + iface.getSimpleName() + " → " + stub;
            };
          }
          return invoke(stub, objectClass, method, args == null ? new Object[0] : args);
        });
  }

  static Object callByName(ObjectStub stub, Class<? extends DurableObject> objectClass,
      String name, List<?> arguments) {
    List<?> args = arguments == null ? List.of() : arguments;
    Method method = findByName(objectClass, name, args.size());
    Type[] types = method.getGenericParameterTypes();
    Object[] converted = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      try {
        converted[i] = Json.mapper().convertValue(args.get(i),
            Json.mapper().getTypeFactory().constructType(types[i]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Argument " + (i + 1) + " of " + name + "() cannot be read as "
            + types[i].getTypeName() + ": " + e.getMessage(), e);
      }
    }
    return stub.invoke(obj -> {
      Object r = unwrap(() -> method.invoke(obj, converted));
      return method.getReturnType() == void.class ? null : Json.mapper().convertValue(r, Object.class);
    });
  }

  private static Object invoke(ObjectStub stub, Class<? extends DurableObject> objectClass,
      Method ifaceMethod, Object[] args) {
    if (ObjectStub.isHandlerName(ifaceMethod.getName())) {
      throw new IllegalArgumentException("'" + ifaceMethod.getName() + "' is a handler and cannot"
          + " be called through RPC; use the stub's fetch() or the runtime instead");
    }
    target(objectClass, ifaceMethod); // fails at the call site when there is none
    Type[] types = ifaceMethod.getGenericParameterTypes();
    Object[] copies = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      copies[i] = copyArgument(ifaceMethod, i, args[i], types[i]);
    }
    Type returnType = ifaceMethod.getGenericReturnType();
    byte[] result = stub.invoke(obj -> {
      Method target = target(obj.getClass(), ifaceMethod);
      Object r = unwrap(() -> target.invoke(obj, copies));
      return ifaceMethod.getReturnType() == void.class || r == null ? null : Json.toBytes(r);
    });
    return result == null ? null : Json.fromBytes(result, returnType);
  }

  private static Object copyArgument(Method method, int index, Object value, Type type) {
    if (value == null) {
      return null;
    }
    try {
      return Json.copy(value, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Argument " + (index + 1) + " of " + method.getName()
          + "() cannot be copied to the object: " + e.getMessage(), e);
    }
  }

  private static Method target(Class<?> objectClass, Method ifaceMethod) {
    return TARGETS.get(objectClass).computeIfAbsent(ifaceMethod, m -> implementation(objectClass, m));
  }

  private static Method implementation(Class<?> objectClass, Method ifaceMethod) {
    try {
      Method m = objectClass.getMethod(ifaceMethod.getName(), ifaceMethod.getParameterTypes());
      m.setAccessible(true);
      return m;
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(objectClass.getName() + " has no method " + ifaceMethod);
    }
  }

  private static Method findByName(Class<?> objectClass, String name, int arity) {
    if (name == null || ObjectStub.isHandlerName(name)) {
      throw new IllegalArgumentException("'" + name + "' is a handler and cannot be called through RPC");
    }
    List<Method> candidates = Arrays.stream(objectClass.getMethods())
        .filter(m -> m.getName().equals(name) && isCallable(m)).toList();
    List<Method> matching = candidates.stream().filter(m -> m.getParameterCount() == arity).toList();
    if (matching.size() == 1) {
      Method m = matching.get(0);
      m.setAccessible(true);
      return m;
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(objectClass.getSimpleName() + " has no public method '" + name
          + "'; methods: " + rpcMethodNames(objectClass));
    }
    throw new IllegalArgumentException(objectClass.getSimpleName() + "." + name + "() takes "
        + Arrays.toString(candidates.stream().mapToInt(Method::getParameterCount).distinct().toArray())
        + " arguments, got " + arity + (matching.size() > 1 ? " (ambiguous overloads)" : ""));
  }

  /** The methods a tool may call by name, sorted by name, then by how many parameters they take. */
  static List<Method> callableMethods(Class<?> objectClass) {
    return Arrays.stream(objectClass.getMethods())
        .filter(m -> isCallable(m) && !ObjectStub.isHandlerName(m.getName()))
        .sorted(Comparator.comparing(Method::getName).thenComparingInt(Method::getParameterCount))
        .toList();
  }

  /** The public methods a tool may call by name. */
  static List<String> rpcMethodNames(Class<?> objectClass) {
    return callableMethods(objectClass).stream().map(Method::getName).distinct().toList();
  }

  private static boolean isCallable(Method m) {
    return !Modifier.isStatic(m.getModifiers()) && !m.isBridge()
        && m.getDeclaringClass() != Object.class && m.getDeclaringClass() != DurableObject.class;
  }

  private interface Reflective {
    Object call() throws Exception;
  }

  private static Object unwrap(Reflective call) throws Exception {
    try {
      return call.call();
    } catch (InvocationTargetException e) {
      throw Sneaky.rethrow(e.getCause());
    }
  }
}
