package dev.modernbert.inference.engine;

import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * Text in, vectors out: tokenizes {@code prefix + text} as one string (MODERNBERT.md §4.2), truncates to the
 * token limit keeping {@code </s>}, runs the encoder (which pools) and optionally L2-normalizes.
 */
public final class TextEmbedder {
  /** One text's embedding and the number of tokens it was computed from. */
  public record Embedding(int tokens, float[] vector) {}

  private final ModelTokenizer tokenizer;
  private final Encoder encoder;
  private final int maxTokens;

  public TextEmbedder(ModelTokenizer tokenizer, Encoder encoder, int maxTokens) {
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.maxTokens = maxTokens;
  }

  /** Token ids of each {@code prefix + text}, truncated to the limit. */
  public List<int[]> tokenize(List<String> texts, String prefix) {
    List<int[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(Truncation.keepEnd(tokenizer.ids(prefix + t), maxTokens));
    }
    return out;
  }

  /** Per-token states of each text. */
  public List<float[][]> hidden(List<String> texts, String prefix) {
    return encoder.hiddenStates(tokenize(texts, prefix));
  }

  /** Pooled (and, if asked, unit-length) vectors of each text. */
  public List<Embedding> embed(List<String> texts, String prefix, boolean normalize) {
    List<int[]> ids = tokenize(texts, prefix);
    List<float[]> pooled = encoder.embeddings(ids);
    List<Embedding> out = new ArrayList<>(texts.size());
    for (int i = 0; i < ids.size(); i++) {
      float[] v = pooled.get(i);
      out.add(new Embedding(ids.get(i).length, normalize ? Pooling.normalize(v) : v));
    }
    return out;
  }

  public int maxTokens() {
    return maxTokens;
  }
}
