package dev.durable.internal.runtime;

import dev.durable.DurableObject;
import dev.durable.DurableObjectStub;
import dev.durable.Facets;
import java.util.List;
import java.util.Optional;

/** {@link Facets} of one object: checks the caller's names and classes, then asks the registry. */
final class ObjectFacets implements Facets {
  private final FacetNamespaces registry;
  private final ObjectHandle owner;

  ObjectFacets(FacetNamespaces registry, ObjectHandle owner) {
    this.registry = registry;
    this.owner = owner;
  }

  @Override
  public DurableObjectStub get(String name, Class<? extends DurableObject> objectClass) {
    checkName(name);
    checkClass(objectClass);
    String ownerId = owner.id().toString();
    Optional<FacetNamespaces.FacetRef> existing = registry.find(ownerId, name);
    if (existing.isPresent()
        && !existing.get().namespace().objectClass().getName().equals(objectClass.getName())) {
      throw new IllegalArgumentException("Facet '" + name + "' of " + owner.describe() + " is a "
          + existing.get().namespace().objectClass().getName() + ", not a " + objectClass.getName()
          + "; delete it first to make a facet of another class under this name");
    }
    return registry.namespaceFor(ownerId, objectClass).getByName(name);
  }

  @Override
  public List<Facet> list() {
    return registry.describe(owner.id().toString());
  }

  @Override
  public boolean delete(String name) {
    checkName(name);
    return registry.delete(owner.id().toString(), name);
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Facet name must be a non-empty string, got "
          + (name == null ? "null" : "\"\""));
    }
  }

  private static void checkClass(Class<?> objectClass) {
    if (objectClass == null) {
      throw new IllegalArgumentException("Facet class must not be null");
    }
    if (!DurableObject.class.isAssignableFrom(objectClass)) {
      throw new IllegalArgumentException("Facet class " + objectClass.getName()
          + " is not a Durable Object class: it must extend dev.durable.DurableObject");
    }
  }
}
