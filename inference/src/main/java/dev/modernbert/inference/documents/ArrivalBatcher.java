package dev.modernbert.inference.documents;

import dev.modernbert.inference.registry.InferenceQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gathers work that arrives one item at a time into batches, for an engine that hands its ingest processor one
 * document per call while it runs a bulk request's documents concurrently. Each item is admitted to the inference
 * queue on its own (a full queue refuses that item alone) with a drain task; the first drain to run takes every
 * item pending by then, up to {@code maxBatch}, and the drains of items it took find nothing left. While the
 * inference thread is busy, a bulk request's documents pile up and run as one batch.
 *
 * @param <T> an item of work
 */
public final class ArrivalBatcher<T> {
  private final int maxBatch;
  private final Consumer<List<T>> process;
  private final ArrayDeque<T> pending = new ArrayDeque<>();

  /** {@code process} runs each batch on the queue's executor. */
  public ArrivalBatcher(int maxBatch, Consumer<List<T>> process) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least one item, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.process = process;
  }

  /**
   * Admits {@code item}, weighing {@code tokens}, to {@code queue}; it is processed in a later batch.
   *
   * @throws InferenceQueue.QueueFullException when the queue's budget is exceeded: the item is not kept
   */
  public void add(T item, long tokens, InferenceQueue queue) {
    // under the lock, so that the drain (which needs the lock) cannot run before the item is pending
    synchronized (pending) {
      queue.submit(tokens, this::drain);
      pending.add(item);
    }
  }

  private void drain() {
    List<T> batch = new ArrayList<>();
    synchronized (pending) {
      while (batch.size() < maxBatch && !pending.isEmpty()) {
        batch.add(pending.poll());
      }
    }
    if (!batch.isEmpty()) {
      process.accept(batch);
    }
  }

  /** Items admitted and not yet taken by a drain. */
  public int pending() {
    synchronized (pending) {
      return pending.size();
    }
  }
}
