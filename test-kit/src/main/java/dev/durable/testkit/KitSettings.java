package dev.durable.testkit;

import dev.durable.DurableObject;
import dev.durable.Worker;
import dev.durable.runtime.DurableRuntime;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What a kit builds each runtime from: the builder's or the annotation's choices. */
record KitSettings(
    Map<String, Class<? extends DurableObject>> bindings,
    Map<String, Object> vars,
    Worker worker,
    List<Consumer<DurableRuntime.Builder>> customizers,
    boolean sharedState,
    boolean storageOnDisk,
    Instant start) {

  KitSettings {
    bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    customizers = List.copyOf(customizers);
  }
}
