package dev.modernbert.plugin;

import dev.modernbert.inference.registry.InferenceQueue;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

/** Inference errors as OpenSearch reports them: a full inference queue is a rejection (HTTP 429). */
public final class InferenceFailures {
  private InferenceFailures() {}

  /** {@code failure}, with a full queue turned into OpenSearch's rejection so it answers 429. */
  public static Exception forOpenSearch(Throwable failure) {
    if (failure instanceof InferenceQueue.QueueFullException full) {
      return new OpenSearchRejectedExecutionException(full.getMessage());
    }
    return failure instanceof Exception e ? e : new RuntimeException(failure);
  }
}
