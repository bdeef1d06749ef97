package dev.modernbert.inference.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.registry.InferenceQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArrivalBatcherTest {
  @Test
  void itemsArrivingWhileTheThreadIsBusyRunAsBatchesInOrder() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(() -> await(busy));
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    ArrivalBatcher<Integer> batcher = new ArrivalBatcher<>(4, batches::add);
    InferenceQueue queue = new InferenceQueue(pool, 1_000);
    for (int i = 0; i < 10; i++) {
      batcher.add(i, 10, queue);
    }
    assertEquals(10, batcher.pending(), "nothing runs while the thread is busy");
    busy.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9)), batches);
    assertEquals(0, queue.queuedTokens(), "every item's tokens are released");
  }

  @Test
  void aFullQueueRefusesTheItemAloneAndKeepsWhatItAdmitted() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(() -> await(busy));
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    ArrivalBatcher<Integer> batcher = new ArrivalBatcher<>(100, done::addAll);
    InferenceQueue queue = new InferenceQueue(pool, 25);
    batcher.add(1, 10, queue);
    batcher.add(2, 10, queue);
    assertThrows(InferenceQueue.QueueFullException.class, () -> batcher.add(3, 10, queue));
    assertEquals(2, batcher.pending());
    busy.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    assertEquals(List.of(1, 2), done);
  }

  @Test
  void aBatchHoldsAtLeastOneItem() {
    assertThrows(IllegalArgumentException.class, () -> new ArrivalBatcher<Integer>(0, b -> {}));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
