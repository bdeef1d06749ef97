package dev.modernbert.inference.registry;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control in tokens: work is accepted while the tokens queued or running stay within a budget,
 * and runs on the executor of its {@link Lane}. Past the budget a request is refused at once
 * ({@link QueueFullException}) and nothing already accepted is affected.
 */
public final class InferenceQueue {
  /**
   * Which executor runs a task. A search's query text gets its own lane so that it never waits behind ingest
   * work that was queued before it (one bulk of long documents can take minutes); the two lanes' model calls
   * then share the cores.
   */
  public enum Lane { BULK, QUERY }

  /** The most estimated tokens a piece of interactive work may weigh to be served like a search query. */
  public static final long QUERY_SIZED_TOKENS = 512;

  private final Executor bulk;
  private final Executor query;
  private volatile long maxTokens;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();

  /** Both lanes on one executor. */
  public InferenceQueue(Executor executor, long maxTokens) {
    this(executor, executor, maxTokens);
  }

  /**
   * Bulk work (ingest, larger {@code _embed} requests) on {@code bulk}, query texts and question-sized requests on
   * {@code query}; one budget for both.
   */
  public InferenceQueue(Executor bulk, Executor query, long maxTokens) {
    this.bulk = bulk;
    this.query = query;
    setMaxTokens(maxTokens);
  }

  /** Changes the budget for what is submitted from now on; work already accepted keeps running. */
  public void setMaxTokens(long maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("the queue's budget must be at least 1 token, got " + maxTokens);
    }
    this.maxTokens = maxTokens;
  }

  /** The budget was exceeded; maps to HTTP 429. */
  public static final class QueueFullException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    QueueFullException(String message) {
      super(message);
    }
  }

  /**
   * What a text of {@code characters} characters weighs in the queue before it is tokenized: one token per
   * character, plus {@code <s>} and {@code </s>}.
   */
  public static long estimatedTokens(int characters) {
    return characters + 2L;
  }

  /**
   * The lane for a request that may be interactive or bulk ({@code _embed}): a question's worth of tokens is
   * served like a search query, anything larger waits with bulk work.
   */
  public static Lane laneFor(long tokens) {
    return tokens <= QUERY_SIZED_TOKENS ? Lane.QUERY : Lane.BULK;
  }

  /** Runs {@code task} in the bulk lane: {@link #submit(Lane, long, Runnable)} with {@link Lane#BULK}. */
  public void submit(long tokens, Runnable task) {
    submit(Lane.BULK, tokens, task);
  }

  /**
   * Runs {@code task} on {@code lane}'s executor if {@code tokens} more fit in the budget (a single request larger
   * than the whole budget is admitted when the queue is empty, so no text is unservable).
   */
  public void submit(Lane lane, long tokens, Runnable task) {
    Executor executor = lane == Lane.QUERY ? query : bulk;
    long maxTokens = this.maxTokens;
    while (true) {
      long now = queued.get();
      if (now > 0 && now + tokens > maxTokens) {
        rejections.incrementAndGet();
        throw new QueueFullException("inference queue is full: " + now + " tokens queued, " + tokens + " more would"
            + " exceed plugins.modernbert.queue_max_tokens (" + maxTokens + ")");
      }
      if (queued.compareAndSet(now, now + tokens)) {
        break;
      }
    }
    try {
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          queued.addAndGet(-tokens);
        }
      });
    } catch (RuntimeException e) {
      queued.addAndGet(-tokens);
      rejections.incrementAndGet();
      throw e;
    }
  }

  /** Tokens queued or running now. */
  public long queuedTokens() {
    return queued.get();
  }

  public long rejections() {
    return rejections.get();
  }

  public long maxTokens() {
    return maxTokens;
  }
}
