package dev.durable.internal.runtime;

import dev.durable.internal.gate.Sneaky;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs work on a virtual thread (the current one if it is virtual, e.g. the server's request
 * thread) and waits for it, rethrowing what it threw.
 */
final class VirtualThreads {
  private VirtualThreads() {}

  static <T> T call(Callable<T> work) {
    if (Thread.currentThread().isVirtual()) {
      try {
        return work.call();
      } catch (Exception e) {
        throw Sneaky.rethrow(e);
      }
    }
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = Thread.ofVirtual().name("durable-event").start(() -> {
      try {
        result.set(work.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw Sneaky.rethrow(failure.get());
    }
    return result.get();
  }
}
