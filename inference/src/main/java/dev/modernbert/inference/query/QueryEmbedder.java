package dev.modernbert.inference.query;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import java.util.concurrent.CompletableFuture;

/**
 * Embeds search queries: one text per call, answered from a {@link QueryVectorCache} when it was seen before,
 * otherwise run in the query lane of the node's inference queue (never on the caller's thread, never behind
 * ingest). The prefix defaults to the model's query prefix ("検索クエリ: " for Ruri v3). Vectors are L2-normalized.
 * A query over the model's token limit is refused rather than silently cut: its vector would stand for only the
 * start of what the user asked.
 */
public final class QueryEmbedder {
  private final InferenceServices services;
  private final QueryVectorCache cache;

  public QueryEmbedder(InferenceServices services, QueryVectorCache cache) {
    this.services = services;
    this.cache = cache;
  }

  /**
   * The vector of {@code text} under {@code model}; {@code prefix} {@code null} means the model's query prefix.
   * Completes exceptionally with the reason (unknown model, a text over the
   * model's token limit, a full queue, an inference failure).
   */
  public CompletableFuture<float[]> embed(String model, String text, String prefix) {
    CompletableFuture<float[]> result = new CompletableFuture<>();
    try {
      QueryVectorCache.Key key = new QueryVectorCache.Key(model, prefix, text);
      services.stats().queries.increment();
      float[] cached = cache.get(key);
      if (cached != null) {
        services.stats().cacheHits.increment();
        result.complete(cached);
        return result;
      }
      services.stats().cacheMisses.increment();
      // an unknown name fails here, not after waiting in the queue; the folder itself is read by the inference thread
      services.registry().resolve(model);
      long tokens = InferenceQueue.estimatedTokens(text.length() + (prefix == null ? 0 : prefix.length()));
      services.queue().submit(InferenceQueue.Lane.QUERY, tokens, () -> {
        try {
          LoadedModel m = services.registry().get(model);
          String p = prefix != null ? prefix : m.folder().profile().queryPrefix();
          float[] v = m.embedder(m.folder().maxTokens()).embedWhole(text, p, true);
          cache.put(key, v);
          result.complete(v);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }
}
