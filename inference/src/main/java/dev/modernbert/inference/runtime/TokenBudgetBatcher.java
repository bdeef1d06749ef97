package dev.modernbert.inference.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs sequences into batches whose padded size ({@code count × longest}) stays within a token budget.
 * Sequences are sorted by length first, so each batch holds similar lengths and padding stays small; a
 * sequence longer than the budget runs alone.
 */
public final class TokenBudgetBatcher {
  private final int maxBatchTokens;

  public TokenBudgetBatcher(int maxBatchTokens) {
    if (maxBatchTokens < 1) {
      throw new IllegalArgumentException("max batch tokens must be positive, got " + maxBatchTokens);
    }
    this.maxBatchTokens = maxBatchTokens;
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
      int count = Math.max(1, maxBatchTokens / Math.max(1, longest));
      int end = Math.min(order.length, start + count);
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
      start = end;
    }
    return batches;
  }
}
