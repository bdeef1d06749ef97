package dev.modernbert.inference.chunking;

import dev.modernbert.inference.runtime.Encoder;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Late chunking: each window is encoded once, then a vector is pooled for every span of about
 * {@code late_chunk_tokens} tokens inside it, so short passages carry the context of the whole window.
 *
 * <p>Spans are planned like windows (same boundary rule, exact offsets) and tile the document. A span's
 * vector is the mean of the token states of the tokens that start inside it. The window's {@code <s>} and
 * prefix tokens stand at the window's start and are pooled into its first span; {@code </s>} stands at its
 * end and is pooled into its last span. With {@code overlap_tokens}, the part of a window already covered by
 * the previous window serves as context only: its tokens are encoded but pooled into no span.
 */
public final class LateChunker {
  /** One span: its place in the document, the number of token states pooled, and the pooled vector. */
  public record Span(Chunk chunk, float[] vector) {}

  private final ModelTokenizer tokenizer;
  private final Encoder encoder;
  private final ChunkingOptions options;
  private final String prefix;
  private final DocumentChunker windows;
  private final DocumentChunker spans;

  public LateChunker(ModelTokenizer tokenizer, Encoder encoder, ChunkingOptions options, String prefix) {
    if (options.lateChunkTokens() <= 0) {
      throw new IllegalArgumentException("late_chunk_tokens must be set for late chunking");
    }
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.options = options;
    this.prefix = prefix;
    this.windows = new DocumentChunker(tokenizer, options, prefix);
    // spans are planned on bare window text: their budget is late_chunk_tokens (+2 for the framing ids)
    this.spans = new DocumentChunker(tokenizer, new ChunkingOptions(Math.max(options.lateChunkTokens() + 2, 8), 0,
        options.boundary(), 0, Integer.MAX_VALUE), "");
  }

  /** A window and the spans pooled from it (document offsets; span token counts are of the bare span text). */
  public record WindowSpans(Chunk window, int regionStart, List<Chunk> spans) {}

  /** Plans windows and spans without running the model. */
  public List<WindowSpans> plan(String text) {
    List<WindowSpans> out = new ArrayList<>();
    int covered = 0;
    int count = 0;
    for (Chunk w : windows.chunk(text)) {
      int regionStart = Math.max(covered, w.start());
      List<Chunk> local = new ArrayList<>();
      for (Chunk s : spans.chunk(text.substring(regionStart, w.end()))) {
        local.add(new Chunk(regionStart + s.start(), regionStart + s.end(), s.tokens() - 2));
      }
      count += local.size();
      if (count > options.maxChunks()) {
        throw new TooManyChunksException("text of " + text.length() + " characters needs more than max_chunks ("
            + options.maxChunks() + ") late chunks of " + options.lateChunkTokens() + " tokens");
      }
      out.add(new WindowSpans(w, regionStart, local));
      covered = w.end();
    }
    return out;
  }

  /** A text's windows, planned and tokenized with the prefix: what the encoder needs, and what pooling needs back. */
  public record Prepared(List<WindowSpans> plan, List<TokenizedText> windows) {
    /** The ids of each window, in order: the sequences to encode. */
    public List<int[]> ids() {
      return windows.stream().map(TokenizedText::ids).toList();
    }

    /** Tokens of all windows together. */
    public long tokens() {
      return windows.stream().mapToLong(TokenizedText::length).sum();
    }
  }

  /** Plans and tokenizes the windows of {@code text} without running the model. */
  public Prepared prepare(String text) {
    List<WindowSpans> plan = plan(text);
    List<TokenizedText> encoded = new ArrayList<>(plan.size());
    for (WindowSpans ws : plan) {
      encoded.add(tokenizer.encode(prefix + ws.window().text(text)));
    }
    return new Prepared(plan, encoded);
  }

  /** The spans of a prepared text with their (not normalized) vectors, from the token states of its windows. */
  public List<Span> pool(Prepared prepared, List<float[][]> states) {
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < prepared.plan().size(); i++) {
      WindowSpans ws = prepared.plan().get(i);
      for (Chunk span : ws.spans()) {
        out.add(pool(ws.window(), span, ws.regionStart() == ws.window().start(), prepared.windows().get(i),
            states.get(i)));
      }
    }
    return out;
  }

  /** The spans of {@code text} with their (not normalized) vectors; an empty text has none. */
  public List<Span> embed(String text) {
    Prepared prepared = prepare(text);
    return pool(prepared, encoder.hiddenStates(prepared.ids()));
  }

  private Span pool(Chunk window, Chunk span, boolean ownsWindowStart, TokenizedText t, float[][] rows) {
    int last = t.length() - 1;
    List<Integer> picked = new ArrayList<>();
    for (int r = 0; r <= last; r++) {
      int at = documentPosition(window, t, r, last);
      boolean specialOrPrefix = r == 0 || r == last || t.starts()[r] < prefix.length();
      boolean inside = specialOrPrefix
          ? (r == last ? at == span.end() && span.end() == window.end() : ownsWindowStart && at == span.start())
          : at >= span.start() && at < span.end();
      if (inside) {
        picked.add(r);
      }
    }
    if (picked.isEmpty()) {
      picked.add(rowCovering(window, t, span.start(), last));
    }
    float[][] selected = new float[picked.size()][];
    for (int i = 0; i < selected.length; i++) {
      selected[i] = rows[picked.get(i)];
    }
    return new Span(new Chunk(span.start(), span.end(), selected.length), Pooling.MEAN.pool(selected, selected.length));
  }

  /** Where token {@code r} stands in the document: prefix and {@code <s>} at the window start, {@code </s>} at its end. */
  private int documentPosition(Chunk window, TokenizedText t, int r, int last) {
    if (r == last) {
      return window.end();
    }
    if (r == 0 || t.starts()[r] < prefix.length()) {
      return window.start();
    }
    return window.start() + t.starts()[r] - prefix.length();
  }

  /** The token whose characters contain {@code pos} (a span inside a single long token still gets a vector). */
  private int rowCovering(Chunk window, TokenizedText t, int pos, int last) {
    int rel = pos - window.start() + prefix.length();
    for (int r = 1; r < last; r++) {
      if (t.starts()[r] <= rel && rel < t.ends()[r]) {
        return r;
      }
    }
    return last;
  }
}
