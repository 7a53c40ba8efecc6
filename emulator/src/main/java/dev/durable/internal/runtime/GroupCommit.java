package dev.durable.internal.runtime;

import dev.durable.DurableObjectException;
import dev.durable.internal.gate.OutputGate;
import dev.durable.internal.storage.TurnParticipant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit and the output gate of one object. Each turn's changes are kept or undone in
 * every participant (storage, database, alarm); when a turn ends while others wait at the gate,
 * the batch stays open and the next turn joins it; the last turn of a batch commits it, and only
 * then is the batch's output (WebSocket messages, closes) released and are its callers answered.
 * A failed commit fails every turn of the batch and resets the object. Used only by the thread
 * holding the object's gate.
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** Turns a batch may hold before it commits even with more events waiting. */
  private static final int MAX_BATCH_TURNS = 64;

  /** Turns whose writes share one open transaction, and the callers waiting on its commit. */
  static final class Batch {
    private final CompletableFuture<Void> committed = new CompletableFuture<>();
    private final List<Runnable> output = new ArrayList<>();
    private int turns;

    /** Waits until the batch is committed; throws the commit's failure. */
    void awaitCommit() {
      try {
        committed.join();
      } catch (CompletionException e) {
        throw (DurableObjectException) e.getCause();
      }
    }
  }

  // Per turn each participant is called from a call site of its own (see beginTurn); the
  // list serves the commit and the failure paths, which run once per batch.
  private final TurnParticipant storage;
  private final TurnParticipant database;
  private final TurnParticipant alarm;
  private final List<TurnParticipant> participants;
  private final Supplier<String> object;
  private final Runnable reset;
  private final List<Runnable> turnOutput = new ArrayList<>();
  private Batch batch;

  /**
   * Commits for the object {@code object} describes, over its participants in the order their
   * changes must be written (buffered key-value writes reach the database before it commits);
   * {@code reset} drops the instance after a failed commit.
   */
  GroupCommit(TurnParticipant storage, TurnParticipant database, TurnParticipant alarm,
      Supplier<String> object, Runnable reset) {
    this.storage = storage;
    this.database = database;
    this.alarm = alarm;
    this.participants = List.of(storage, database, alarm);
    this.object = object;
    this.reset = reset;
  }

  /**
   * A turn begins. The participants are called one by one, not in a loop: one call site seeing
   * three classes is an interface call the JIT cannot inline, and a loop over them made empty
   * RPC round trips 30% slower (BENCHMARKS.md, "Architecture").
   */
  void beginTurn() {
    storage.rememberTurnStart();
    database.rememberTurnStart();
    alarm.rememberTurnStart();
  }

  /** Whether a batch is open (turns ended whose writes are not committed yet). */
  boolean hasOpenBatch() {
    return batch != null;
  }

  /**
   * Ends the turn holding the gate, keeping or undoing its changes. Returns the batch the caller
   * must wait for, or null when the turn changed nothing. Commits when nobody else waits
   * ({@code othersWaiting} false) or the batch is full.
   */
  Batch endTurn(boolean keep, boolean othersWaiting) {
    endParticipantsTurn(keep);
    if (!isDirty()) {
      releaseTurnOutput();
      return null;
    }
    Batch mine = joinBatch();
    mine.turns++;
    if (!othersWaiting || mine.turns >= MAX_BATCH_TURNS) {
      commit();
    }
    return mine;
  }

  /** Before the gate opens for outgoing I/O: commits everything so far, or throws its failure. */
  void commitBeforeSuspend() {
    endParticipantsTurn(true);
    if (!isDirty()) {
      releaseTurnOutput();
      return;
    }
    joinBatch();
    DurableObjectException failure = commit();
    if (failure != null) {
      throw failure;
    }
  }

  /** Commits the open batch, if any; on failure resets the object. Returns the failure, or null. */
  DurableObjectException commit() {
    Batch b = batch;
    if (b == null) {
      return null;
    }
    batch = null;
    try {
      for (TurnParticipant p : participants) {
        p.prepareCommit();
      }
      for (TurnParticipant p : participants) {
        p.commit();
      }
      OutputGate.releasing(() -> b.output.forEach(GroupCommit::releaseOutput));
      b.committed.complete(null);
      return null;
    } catch (Exception e) {
      return fail(b, e);
    }
  }

  /** Holds output of the running turn until its writes are committed. */
  void holdOutput(Runnable action) {
    turnOutput.add(action);
  }

  private Batch joinBatch() {
    if (batch == null) {
      batch = new Batch();
    }
    batch.output.addAll(turnOutput);
    turnOutput.clear();
    return batch;
  }

  /**
   * Ends the turn in every participant. If one fails, part of the turn's writes may be in the
   * shared batch, or SQLite itself rolled the transaction back (a full disk, an I/O error), so
   * the whole batch goes and the object is reset: otherwise the database would stay out of step
   * with the runtime and every later event of the object would fail.
   */
  private void endParticipantsTurn(boolean keep) {
    try {
      storage.endTurn(keep);
    } catch (RuntimeException e) {
      throw failTurn(e, 1);
    }
    try {
      database.endTurn(keep);
    } catch (RuntimeException e) {
      throw failTurn(e, 2);
    }
    try {
      alarm.endTurn(keep);
    } catch (RuntimeException e) {
      throw failTurn(e, 3);
    }
  }

  /** Ending the turn failed in one participant: the later ones drop the turn, the batch fails. */
  private DurableObjectException failTurn(RuntimeException cause, int next) {
    for (TurnParticipant rest : participants.subList(next, participants.size())) {
      try {
        rest.endTurn(false);
      } catch (RuntimeException also) {
        cause.addSuppressed(also);
      }
    }
    turnOutput.clear();
    return fail(joinBatch(), cause);
  }

  private boolean isDirty() {
    return storage.hasUncommitted() || database.hasUncommitted() || alarm.hasUncommitted();
  }

  /** Rolls the batch back, resets the object and fails every caller waiting on the batch. */
  private DurableObjectException fail(Batch b, Exception cause) {
    batch = null;
    for (TurnParticipant p : participants) {
      p.rollback();
    }
    reset.run();
    DurableObjectException failure = new DurableObjectException("Storage commit of " + object.get()
        + " failed: " + cause.getMessage() + "; the object was reset to its last committed state", cause);
    log.error("{}", failure.getMessage());
    b.committed.completeExceptionally(failure);
    return failure;
  }

  private void releaseTurnOutput() {
    if (!turnOutput.isEmpty()) {
      OutputGate.releasing(() -> turnOutput.forEach(GroupCommit::releaseOutput));
    }
    turnOutput.clear();
  }

  private static void releaseOutput(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.error("Releasing output after a commit failed", e);
    }
  }
}
