package dev.durable.architecture;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public API of a set of classes as text, one line per public type and per public or
 * protected member, in a stable order: the checked-in {@code api/*.api} files hold it, so every
 * change to the API shows in review as a change to that file.
 */
final class ApiSignature {
  private ApiSignature() {}

  /** The signature of the public types among {@code classes}, nested ones included. */
  static String of(List<Class<?>> classes) {
    StringBuilder out = new StringBuilder();
    classes.stream()
        .filter(c -> Modifier.isPublic(c.getModifiers()) && isReachable(c))
        .sorted(Comparator.comparing(Class::getName))
        .forEach(c -> {
          out.append(c.toGenericString()).append(supertypes(c)).append('\n');
          members(c).forEach(m -> out.append("  ").append(m).append('\n'));
        });
    return out.toString();
  }

  /** The lines of {@code actual} missing from {@code expected} (+) and the other way round (-). */
  static List<String> diff(String expected, String actual) {
    List<String> want = expected.lines().toList();
    List<String> have = actual.lines().toList();
    List<String> diff = new ArrayList<>();
    have.stream().filter(l -> !want.contains(l)).forEach(l -> diff.add("+ " + l));
    want.stream().filter(l -> !have.contains(l)).forEach(l -> diff.add("- " + l));
    return diff;
  }

  /** A nested type is API only if every type around it is public. */
  private static boolean isReachable(Class<?> c) {
    for (Class<?> outer = c.getDeclaringClass(); outer != null; outer = outer.getDeclaringClass()) {
      if (!Modifier.isPublic(outer.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static String supertypes(Class<?> c) {
    List<String> names = new ArrayList<>();
    if (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum()
        && !c.isRecord()) {
      names.add(c.getGenericSuperclass().getTypeName());
    }
    Arrays.stream(c.getGenericInterfaces()).map(t -> t.getTypeName()).forEach(names::add);
    return names.isEmpty() ? "" : " : " + String.join(", ", names);
  }

  private static List<String> members(Class<?> c) {
    return Stream.of(c.getDeclaredConstructors(), c.getDeclaredMethods(), c.getDeclaredFields())
        .flatMap(Arrays::stream)
        .map(Member.class::cast)
        .filter(m -> !m.isSynthetic() && !(m instanceof Method method && method.isBridge()))
        .filter(m -> Modifier.isPublic(m.getModifiers())
            || (Modifier.isProtected(m.getModifiers()) && !Modifier.isFinal(c.getModifiers())))
        .map(ApiSignature::describe)
        .sorted()
        .toList();
  }

  private static String describe(Member m) {
    return switch (m) {
      case Constructor<?> c -> c.toGenericString();
      case Method method -> method.toGenericString();
      case Field f -> f.toGenericString();
      default -> m.toString();
    };
  }
}
