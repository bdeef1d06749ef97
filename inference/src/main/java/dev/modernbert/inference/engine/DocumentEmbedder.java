package dev.modernbert.inference.engine;

import dev.modernbert.inference.chunking.Chunk;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.inference.chunking.DocumentChunker;
import dev.modernbert.inference.chunking.LateChunker;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.stats.InferenceStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents in, embedded chunks out: each text is chunked, the chunks of all texts are embedded together
 * (token-budget batching across documents), and each document gets its chunks with offsets, token counts
 * and unit vectors, plus a document vector (token-weighted mean of its chunk vectors, normalized). A text
 * that cannot be chunked fails alone. The stats get the chunks, tokens and latencies; documents and failures
 * are the caller's to count, since a caller's document may hold several texts.
 */
public final class DocumentEmbedder {
  /** One chunk of a document with its unit-length vector. */
  public record EmbeddedChunk(int start, int end, int tokens, float[] vector) {}

  /** A document's result: its chunks and document vector, or the reason it failed. */
  public record Outcome(List<EmbeddedChunk> chunks, float[] documentVector, RuntimeException error) {
    static Outcome failed(RuntimeException e) {
      return new Outcome(null, null, e);
    }
  }

  /** Window tokens whose states late chunking holds at once (64 MB at hidden size 256, 192 MB at 768). */
  static final int LATE_GROUP_TOKENS = 65_536;

  private final int lateGroupTokens;
  private final LoadedModel model;
  private final ChunkingOptions options;
  private final String prefix;
  private final InferenceStats stats;

  public DocumentEmbedder(LoadedModel model, ChunkingOptions options, String prefix, InferenceStats stats) {
    this(model, options, prefix, stats, LATE_GROUP_TOKENS);
  }

  /** With late chunking's group size given (tests make groups of a document or two). */
  DocumentEmbedder(LoadedModel model, ChunkingOptions options, String prefix, InferenceStats stats,
      int lateGroupTokens) {
    this.lateGroupTokens = lateGroupTokens;
    this.model = model;
    this.options = options.cappedAt(model.folder().maxTokens());
    this.prefix = prefix;
    this.stats = stats;
  }

  /** Embeds every text; outcomes are in input order. */
  public List<Outcome> embed(List<String> texts) {
    long t0 = System.nanoTime();
    List<Outcome> out = options.lateChunkTokens() > 0 ? late(texts) : windows(texts);
    stats.total.record((System.nanoTime() - t0) / 1e6);
    for (Outcome o : out) {
      if (o.error() == null) {
        stats.chunks.add(o.chunks().size());
        o.chunks().forEach(c -> stats.tokens.add(c.tokens()));
      }
    }
    return out;
  }

  private List<Outcome> windows(List<String> texts) {
    long t0 = System.nanoTime();
    DocumentChunker chunker = new DocumentChunker(model.tokenizer(), options, prefix);
    List<List<Chunk>> perDoc = new ArrayList<>();
    List<RuntimeException> errors = new ArrayList<>();
    List<int[]> ids = new ArrayList<>();
    for (String text : texts) {
      try {
        List<Chunk> chunks = new ArrayList<>();
        for (DocumentChunker.EncodedChunk c : chunker.encodedChunks(text)) {
          chunks.add(c.chunk());
          ids.add(c.ids());
        }
        perDoc.add(chunks);
        errors.add(null);
      } catch (RuntimeException e) {
        perDoc.add(List.of());
        errors.add(e);
      }
    }
    stats.tokenize.record((System.nanoTime() - t0) / 1e6);
    long t1 = System.nanoTime();
    List<float[]> vectors = ids.isEmpty() ? List.of() : model.encoder().embeddings(ids);
    stats.infer.record((System.nanoTime() - t1) / 1e6);
    List<Outcome> out = new ArrayList<>(texts.size());
    int next = 0;
    for (int d = 0; d < texts.size(); d++) {
      if (errors.get(d) != null) {
        out.add(Outcome.failed(errors.get(d)));
        continue;
      }
      List<EmbeddedChunk> chunks = new ArrayList<>();
      for (Chunk c : perDoc.get(d)) {
        chunks.add(new EmbeddedChunk(c.start(), c.end(), c.tokens(), Pooling.normalize(vectors.get(next++))));
      }
      out.add(new Outcome(chunks, documentVector(chunks), null));
    }
    return out;
  }

  /**
   * Late chunking, with the windows of several documents encoded together (as {@link #windows} does), in groups
   * of about {@code lateGroupTokens} tokens: every window's token states are kept until its spans are pooled.
   */
  private List<Outcome> late(List<String> texts) {
    LateChunker late = new LateChunker(model.tokenizer(), model.encoder(), options, prefix);
    Outcome[] out = new Outcome[texts.size()];
    Map<Integer, LateChunker.Prepared> group = new LinkedHashMap<>();
    long tokens = 0;
    for (int d = 0; d < texts.size(); d++) {
      long t0 = System.nanoTime();
      try {
        LateChunker.Prepared p = late.prepare(texts.get(d));
        group.put(d, p);
        tokens += p.tokens();
      } catch (RuntimeException e) {
        out[d] = Outcome.failed(e);
      }
      stats.tokenize.record((System.nanoTime() - t0) / 1e6);
      if ((tokens >= lateGroupTokens || d == texts.size() - 1) && !group.isEmpty()) {
        embedLate(late, group, out);
        group.clear();
        tokens = 0;
      }
    }
    return Arrays.asList(out);
  }

  private void embedLate(LateChunker late, Map<Integer, LateChunker.Prepared> group, Outcome[] out) {
    long t0 = System.nanoTime();
    List<int[]> ids = new ArrayList<>();
    group.values().forEach(p -> ids.addAll(p.ids()));
    List<float[][]> states = ids.isEmpty() ? List.of() : model.encoder().hiddenStates(ids);
    int next = 0;
    for (Map.Entry<Integer, LateChunker.Prepared> e : group.entrySet()) {
      int windows = e.getValue().windows().size();
      List<EmbeddedChunk> chunks = new ArrayList<>();
      for (LateChunker.Span s : late.pool(e.getValue(), states.subList(next, next + windows))) {
        chunks.add(new EmbeddedChunk(s.chunk().start(), s.chunk().end(), s.chunk().tokens(),
            Pooling.normalize(s.vector())));
      }
      next += windows;
      out[e.getKey()] = new Outcome(chunks, documentVector(chunks), null);
    }
    stats.infer.record((System.nanoTime() - t0) / 1e6);
  }

  /** Token-weighted mean of the chunk vectors, normalized; null for a document without chunks. */
  public static float[] documentVector(List<EmbeddedChunk> chunks) {
    if (chunks.isEmpty()) {
      return null;
    }
    float[] sum = new float[chunks.get(0).vector().length];
    for (EmbeddedChunk c : chunks) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += c.tokens() * c.vector()[i];
      }
    }
    return Pooling.normalize(sum);
  }
}
