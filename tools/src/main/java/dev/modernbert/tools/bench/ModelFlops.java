package dev.modernbert.tools.bench;

import dev.modernbert.inference.model.ModernBertConfig;

/**
 * Forward FLOPs of ModernBERT per MODERNBERT.md §7.1: per token and layer {@code 8d² + 6dI} for the linear
 * layers plus {@code 4dK} for attention, where K is the keys each query scores (n on global layers; on
 * local layers min(n, 129) ideally, 192 for the blocked kernel, n for masked full attention).
 */
public final class ModelFlops {
  private ModelFlops() {}

  /** FLOPs of one sequence of {@code n} tokens whose local layers score {@code localKeys} keys per query. */
  static double perSequence(ModernBertConfig c, int n, int localKeys) {
    double d = c.hiddenSize();
    double linear = 8 * d * d + 6 * d * c.intermediateSize();
    double total = 0;
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      int keys = c.isGlobal(i) ? n : localKeys;
      total += linear + 4 * d * keys;
    }
    return total * n;
  }

  /**
   * The FLOPs the model itself asks of one text of {@code n} tokens: local layers score only the keys inside the
   * window, as an ideal kernel would. It is the same work whoever serves the model, so it compares servers.
   */
  public static double ofText(ModernBertConfig c, int n) {
    return perSequence(c, n, Math.min(n, c.localAttention() + 1));
  }

  /** Keys per query actually scored by the blocked kernel (3 blocks of w), capped by the sequence. */
  static int blockedKeys(ModernBertConfig c, int n) {
    int block = c.halfWindow();
    int padded = (n + block - 1) / block * block;
    return Math.min(3 * block, padded + 2 * block);
  }
}
