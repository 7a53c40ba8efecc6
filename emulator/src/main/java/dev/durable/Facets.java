package dev.durable;

import java.util.List;

/**
 * The children of a Durable Object (Cloudflare's facets): objects of any Durable Object class,
 * colocated with their parent and reached only through it. Each has its own SQLite database
 * (key-value and SQL API), its own alarm and its own input gate; it is created on first use and
 * deleted with its parent ({@link DurableObjectStorage#deleteAll()}). Get it from
 * {@link DurableObjectState#facets()}.
 *
 * <pre>{@code
 * ChatApi chat = ctx.facets().get("chat-1", Chat.class).as(ChatApi.class);
 * chat.say("hello");
 * }</pre>
 *
 * <p>A facet cannot have facets of its own.
 */
public interface Facets {
  /**
   * A stub of the facet with this name, made an object of {@code objectClass} on first use. The
   * class need not be bound in the configuration. Fails for an empty name, for a class that
   * cannot be a Durable Object, and for a name an existing facet of another class holds.
   */
  DurableObjectStub get(String name, Class<? extends DurableObject> objectClass);

  /** The facets that have storage or a live instance, by name. */
  List<Facet> list();

  /**
   * Deletes a facet: its instance is dropped, its storage and alarm are deleted, its WebSockets
   * are closed. Returns whether it existed; the next {@link #get} makes a fresh one.
   */
  boolean delete(String name);

  /** A facet as {@link #list()} gives it: its name and class. */
  record Facet(String name, Class<? extends DurableObject> objectClass) {}
}
