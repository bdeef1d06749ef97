package dev.modernbert.inference.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Admission in tokens: within the budget work is queued, past it refused at once, and nothing accepted is lost;
 * query texts and bulk work run on their own executors under one budget.
 */
class InferenceQueueTest {
  private final List<Runnable> held = new ArrayList<>();

  @Test
  void workPastTheBudgetIsRefusedAndTokensComeBackWhenWorkEnds() {
    InferenceQueue queue = new InferenceQueue(held::add, 100);
    queue.submit(60, () -> { });
    queue.submit(40, () -> { });
    InferenceQueue.QueueFullException full =
        assertThrows(InferenceQueue.QueueFullException.class, () -> queue.submit(1, () -> { }));
    assertTrue(full.getMessage().contains("100 tokens queued, 1 more would exceed"), full.getMessage());
    assertEquals(1, queue.rejections());
    held.get(0).run();
    assertEquals(40, queue.queuedTokens());
    queue.submit(60, () -> { });
    assertEquals(3, held.size());
  }

  @Test
  void aRequestLargerThanTheWholeBudgetRunsWhenTheQueueIsEmpty() {
    InferenceQueue queue = new InferenceQueue(held::add, 10);
    queue.submit(1_000, () -> { });
    assertEquals(1_000, queue.queuedTokens());
    assertThrows(InferenceQueue.QueueFullException.class, () -> queue.submit(1, () -> { }));
  }

  @Test
  void aChangedBudgetAppliesToWhatComesNextAndKeepsWhatWasAccepted() {
    InferenceQueue queue = new InferenceQueue(held::add, 100);
    queue.submit(50, () -> { });
    queue.setMaxTokens(40);
    assertEquals(40, queue.maxTokens());
    assertThrows(InferenceQueue.QueueFullException.class, () -> queue.submit(1, () -> { }));
    held.get(0).run();
    assertEquals(0, queue.queuedTokens(), "the accepted work ran and gave its tokens back");
    queue.setMaxTokens(1_000);
    queue.submit(500, () -> { });
    queue.submit(500, () -> { });
    assertThrows(IllegalArgumentException.class, () -> queue.setMaxTokens(0));
  }

  @Test
  void queryTextsRunOnTheirOwnLaneAndShareTheBudget() {
    List<Runnable> queries = new ArrayList<>();
    InferenceQueue queue = new InferenceQueue(held::add, queries::add, 100);
    queue.submit(60, () -> { });
    queue.submit(InferenceQueue.Lane.QUERY, 30, () -> { });
    assertEquals(1, held.size(), "bulk work goes to the bulk executor");
    assertEquals(1, queries.size(), "a query text goes to the query executor");
    assertThrows(InferenceQueue.QueueFullException.class, () -> queue.submit(InferenceQueue.Lane.QUERY, 11, () -> { }));
    queries.get(0).run();
    assertEquals(60, queue.queuedTokens());
    queue.submit(InferenceQueue.Lane.QUERY, 40, () -> { });
    assertEquals(2, queries.size());
  }

  @Test
  void aQuestionSizedRequestIsServedLikeAQuery() {
    assertEquals(InferenceQueue.Lane.QUERY, InferenceQueue.laneFor(InferenceQueue.QUERY_SIZED_TOKENS));
    assertEquals(InferenceQueue.Lane.BULK, InferenceQueue.laneFor(InferenceQueue.QUERY_SIZED_TOKENS + 1));
  }

  @Test
  void anExecutorThatRefusesGivesTheTokensBack() {
    InferenceQueue queue = new InferenceQueue(task -> {
      throw new RejectedExecutionException("pool shut down");
    }, 100);
    assertThrows(RejectedExecutionException.class, () -> queue.submit(30, () -> { }));
    assertEquals(0, queue.queuedTokens());
    assertEquals(1, queue.rejections());
  }
}
