package dev.modernbert.inference.tokenizer;

import java.util.Arrays;

/** Shortens a framed id sequence to a token limit while keeping its closing {@code </s>}. */
public final class Truncation {
  private Truncation() {}

  /** {@code ids} if it fits, else its first {@code maxTokens - 1} ids followed by its last id ({@code </s>}). */
  public static int[] keepEnd(int[] ids, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("max tokens must be at least 2 (<s> and </s>), got " + maxTokens);
    }
    if (ids.length <= maxTokens) {
      return ids;
    }
    int[] out = Arrays.copyOf(ids, maxTokens);
    out[maxTokens - 1] = ids[ids.length - 1];
    return out;
  }
}
