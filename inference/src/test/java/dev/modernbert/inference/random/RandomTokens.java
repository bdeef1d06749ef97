package dev.modernbert.inference.random;

import java.util.SplittableRandom;

/** Deterministic pseudo-random token sequences for benchmarks and tests. */
public final class RandomTokens {
  private RandomTokens() {}

  /** {@code n} ids drawn from the ordinary ModernBERT-Ja pieces, framed by {@code <s>} (1) and {@code </s>} (2). */
  public static int[] ids(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 300 + r.nextInt(100000);
    }
    ids[0] = 1;
    if (n > 1) {
      ids[n - 1] = 2;
    }
    return ids;
  }
}
