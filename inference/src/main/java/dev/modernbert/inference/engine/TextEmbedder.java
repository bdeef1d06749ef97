package dev.modernbert.inference.engine;

import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.runtime.Encoder;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * Text in, vectors out: tokenizes {@code prefix + text} as one string (MODERNBERT.md §4.2), truncates to the
 * token limit keeping {@code </s>}, runs the encoder (which pools) and optionally L2-normalizes.
 */
public final class TextEmbedder {
  /**
   * One text's embedding, the number of tokens it was computed from, and whether the text had more tokens
   * than the limit (the vector then covers only its start).
   */
  public record Embedding(int tokens, boolean truncated, float[] vector) {}

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
    return truncated(untruncated(texts, prefix));
  }

  private List<int[]> truncated(List<int[]> ids) {
    return ids.stream().map(i -> Truncation.keepEnd(i, maxTokens)).toList();
  }

  private List<int[]> untruncated(List<String> texts, String prefix) {
    List<int[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(tokenizer.ids(prefix + t));
    }
    return out;
  }

  /** Per-token states of each text. */
  public List<float[][]> hidden(List<String> texts, String prefix) {
    return encoder.hiddenStates(tokenize(texts, prefix));
  }

  /** Pooled (and, if asked, unit-length) vectors of each text. */
  public List<Embedding> embed(List<String> texts, String prefix, boolean normalize) {
    List<int[]> whole = untruncated(texts, prefix);
    List<int[]> ids = truncated(whole);
    List<float[]> vectors = embedIds(ids, normalize);
    List<Embedding> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new Embedding(ids.get(i).length, whole.get(i).length > maxTokens, vectors.get(i)));
    }
    return out;
  }

  /**
   * The pooled vector of one text that must fit whole: a text over the limit is refused before the encoder runs.
   *
   * @throws TokenLimitException naming the text's token count and the limit
   */
  public float[] embedWhole(String text, String prefix, boolean normalize) {
    return embedIds(List.of(wholeIds(text, prefix)), normalize).get(0);
  }

  /**
   * Token ids of {@code prefix + text}, which must fit whole.
   *
   * @throws TokenLimitException naming the text's token count and the limit
   */
  public int[] wholeIds(String text, String prefix) {
    int[] ids = tokenizer.ids(prefix + text);
    if (ids.length > maxTokens) {
      throw new TokenLimitException(ids.length, maxTokens);
    }
    return ids;
  }

  /** Pooled (and, if asked, unit-length) vectors of token sequences within the limit, batched by the encoder. */
  public List<float[]> embedIds(List<int[]> ids, boolean normalize) {
    List<float[]> pooled = encoder.embeddings(ids);
    return normalize ? pooled.stream().map(Pooling::normalize).toList() : pooled;
  }

  public int maxTokens() {
    return maxTokens;
  }
}
