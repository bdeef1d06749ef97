package dev.modernbert.inference.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs sequences into batches whose padded size ({@code count × longest}) stays within a token budget.
 * Sequences are sorted by length, longest first; a sequence joins the current batch only while it is at most
 * {@code maxPadding} shorter than the batch's longest, so padding — computed in attention and thrown away, and
 * in every layer where the graph does not pack tokens — stays bounded (a budget alone would put 64 short texts of
 * 60–200 tokens in one batch padded by half). Sequences over
 * {@value #SOLO_LENGTH} tokens only share a batch with equal lengths: unpadded, their global layers take
 * ONNX Runtime's flash-attention path, and one of them already fills the cores. A sequence longer than the
 * budget runs alone.
 */
public final class TokenBudgetBatcher {
  /** The default {@code maxPadding}: a text padded by at most a fifth of the batch's longest. */
  public static final double DEFAULT_MAX_PADDING = 0.2;
  static final int SOLO_LENGTH = 1024;

  private final int maxBatchTokens;
  private final double maxPadding;

  public TokenBudgetBatcher(int maxBatchTokens, double maxPadding) {
    if (maxBatchTokens < 1) {
      throw new IllegalArgumentException("max batch tokens must be positive, got " + maxBatchTokens);
    }
    if (!(maxPadding >= 0 && maxPadding <= 1)) {
      throw new IllegalArgumentException("max padding must be in [0, 1], got " + maxPadding);
    }
    this.maxBatchTokens = maxBatchTokens;
    this.maxPadding = maxPadding;
  }

  /** Indexes of {@code lengths} grouped into batches, longest first. */
  public List<int[]> plan(int[] lengths) {
    Integer[] order = new Integer[lengths.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed().thenComparingInt(i -> i));
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int longest = lengths[order[start]];
      int end = start + 1;
      while (end < order.length && (long) (end - start + 1) * longest <= maxBatchTokens
          && fits(lengths[order[end]], longest)) {
        end++;
      }
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
      start = end;
    }
    return batches;
  }

  private boolean fits(int length, int longest) {
    return longest > SOLO_LENGTH && maxPadding < 1 ? length == longest : length >= longest * (1 - maxPadding);
  }
}
