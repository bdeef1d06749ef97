package dev.modernbert.elasticsearch.query;

import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.PathRedaction;
import java.util.concurrent.CompletionException;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;

/**
 * Inference errors as Elasticsearch reports them to clients: a full inference queue is a rejection (HTTP 429), and
 * no message names a path of the node.
 */
public final class InferenceFailures {
  private InferenceFailures() {}

  /** {@code failure}, with a full queue turned into Elasticsearch's rejection and the node's paths redacted. */
  public static Exception forElasticsearch(Throwable failure) {
    Throwable f = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    if (f instanceof InferenceQueue.QueueFullException full) {
      return new EsRejectedExecutionException(full.getMessage());
    }
    Throwable redacted = PathRedaction.redacted(f);
    return redacted instanceof Exception e ? e : new RuntimeException(redacted);
  }
}
