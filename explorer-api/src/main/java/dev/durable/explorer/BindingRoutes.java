package dev.durable.explorer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.runtime.ObjectTools.NamespaceInfo;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

/**
 * What one namespace binds: its binding name, its class and the methods a tool may call by name
 * through the {@code rpc} route. The REPL resolves {@code use COUNTER ...} and completes method
 * names with it. Reading it never wakes an object.
 */
record BindingRoutes(ObjectAccess access) {
  private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+(?=[A-Za-z_$])");

  void register(RouteTable t) {
    t.get(NamespaceRoutes.NAMESPACES + "/{namespace_id}", this::describe)
        .doc(ObjectRoutes.TAG, "getNamespace",
            "A namespace's binding, class and the methods `rpc` can call")
        .describe("The fields of listNamespaces, plus `binding` (the name in the configuration,"
            + " e.g. `COUNTER`), `class_name` (the fully qualified class) and `methods`: each public"
            + " method callable by name, with its parameter types (and names, when the class was"
            + " compiled with `-parameters`) and its return type, package names left out."
            + " Overloads are listed one by one. Handlers (`fetch`, `alarm`, `webSocket*`) are not.")
        .result("NamespaceDetail");
  }

  private Reply describe(ApiCall call) {
    NamespaceInfo ns = access.namespace(call.path("namespace_id"));
    ObjectNode o = NamespaceRoutes.describe(ns)
        .put("binding", ns.binding())
        .put("class_name", ns.objectClass().getName());
    ArrayNode methods = o.putArray("methods");
    for (Method m : ns.methods()) {
      ObjectNode method = methods.addObject().put("name", m.getName());
      ArrayNode parameters = method.putArray("parameters");
      Type[] types = m.getGenericParameterTypes();
      Parameter[] declared = m.getParameters();
      for (int i = 0; i < types.length; i++) {
        ObjectNode p = parameters.addObject();
        if (declared.length == types.length && declared[i].isNamePresent()) {
          p.put("name", declared[i].getName());
        }
        p.put("type", typeName(types[i]));
      }
      method.put("returns", typeName(m.getGenericReturnType()));
    }
    return Reply.ok(o);
  }

  /** {@code java.util.List<java.lang.String>} as {@code List<String>}, nested classes with a dot. */
  static String typeName(Type type) {
    return PACKAGE.matcher(type.getTypeName()).replaceAll("").replace('$', '.');
  }
}
