package dev.modernbert.plugin.action;

import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.PathRedaction;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

/**
 * Inference errors as OpenSearch reports them to clients: a full inference queue is a rejection (HTTP 429), and
 * no message names a path of the node.
 */
public final class InferenceFailures {
  private InferenceFailures() {}

  /** {@code failure}, with a full queue turned into OpenSearch's rejection and the node's paths redacted. */
  public static Exception forOpenSearch(Throwable failure) {
    if (failure instanceof InferenceQueue.QueueFullException full) {
      return new OpenSearchRejectedExecutionException(full.getMessage());
    }
    Throwable redacted = PathRedaction.redacted(failure);
    return redacted instanceof Exception e ? e : new RuntimeException(redacted);
  }
}
