package dev.modernbert.inference.query;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.engine.TokenLimitException;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Embeds search queries: answered from a {@link QueryVectorCache} when the text was seen before, otherwise run in
 * the query lane of the node's inference queue (never on the caller's thread, never behind ingest). Queries that
 * wait for the lane together are embedded together, one model call for a model's queries, which costs far less
 * than one call each. The prefix defaults to the model's query prefix ("検索クエリ: " for Ruri v3). Vectors are
 * L2-normalized. A query over the model's token limit is refused rather than silently cut: its vector would stand
 * for only the start of what the user asked.
 */
public final class QueryEmbedder {
  /**
   * The most estimated tokens one pass takes from the waiting queries: one model call's worth at the CPU's
   * default budget, so the first to arrive do not wait for a long line behind them.
   */
  static final long BATCH_TOKENS = 2048;

  /** A query waiting for the lane, its weight in the queue, and who waits for its vector. */
  private record Waiting(QueryVectorCache.Key key, long tokens, CompletableFuture<float[]> result) {}

  private final InferenceServices services;
  private final QueryVectorCache cache;
  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

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
      enqueue(new Waiting(key, InferenceQueue.estimatedTokens(text.length() + (prefix == null ? 0 : prefix.length())),
          result));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** Adds {@code w} to the waiting queries and submits one pass for it; a pass may embed it before its own runs. */
  private void enqueue(Waiting w) {
    waiting.add(w);
    try {
      services.queue().submit(InferenceQueue.Lane.QUERY, w.tokens(), this::embedWaiting);
    } catch (RuntimeException e) {
      // refused (a full queue): unless a running pass already took it, in which case that pass answers it
      if (waiting.remove(w)) {
        throw e;
      }
    }
  }

  /**
   * One pass: takes the queries waiting now, up to {@link #BATCH_TOKENS}, and embeds each model's in one call.
   * Every query submits a pass, so none is left behind; a pass that finds its query already taken has nothing to do.
   */
  private void embedWaiting() {
    Map<String, List<Waiting>> byModel = new LinkedHashMap<>();
    long tokens = 0;
    for (Waiting w; tokens < BATCH_TOKENS && (w = waiting.poll()) != null; tokens += w.tokens()) {
      byModel.computeIfAbsent(w.key().model(), m -> new ArrayList<>()).add(w);
    }
    byModel.forEach(this::embedTogether);
  }

  /** Embeds {@code queries} of {@code model} in one encoder call; a query over the limit fails alone. */
  private void embedTogether(String model, List<Waiting> queries) {
    try {
      LoadedModel m = services.registry().get(model);
      TextEmbedder embedder = m.embedder(m.folder().maxTokens());
      List<Waiting> fitting = new ArrayList<>();
      List<int[]> ids = new ArrayList<>();
      for (Waiting w : queries) {
        String prefix = w.key().prefix() != null ? w.key().prefix() : m.folder().profile().queryPrefix();
        try {
          ids.add(embedder.wholeIds(w.key().text(), prefix));
          fitting.add(w);
        } catch (TokenLimitException e) {
          w.result().completeExceptionally(e);
        }
      }
      List<float[]> vectors = embedder.embedIds(ids, true);
      for (int i = 0; i < fitting.size(); i++) {
        cache.put(fitting.get(i).key(), vectors.get(i));
        fitting.get(i).result().complete(vectors.get(i));
      }
    } catch (RuntimeException e) {
      queries.forEach(w -> w.result().completeExceptionally(e));
    }
  }
}
