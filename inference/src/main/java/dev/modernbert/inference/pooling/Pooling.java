package dev.modernbert.inference.pooling;

import java.util.Locale;

/** How a sequence of token states becomes one vector. */
public enum Pooling {
  /** Mean over every real token, {@code <s>}, {@code </s>} and prefix included (Ruri v3, sentence-transformers). */
  MEAN,
  /** The state of the first token ({@code <s>}). */
  CLS;

  /** Pools rows {@code [0, length)} of {@code states} ({@code [n][d]}). */
  public float[] pool(float[][] states, int length) {
    return pool(states, 0, length);
  }

  /** Pools rows {@code [from, to)} of {@code states}; CLS takes row {@code from}. */
  public float[] pool(float[][] states, int from, int to) {
    if (to <= from) {
      throw new IllegalArgumentException("empty span [" + from + ", " + to + ")");
    }
    int d = states[from].length;
    float[] out = new float[d];
    if (this == CLS) {
      System.arraycopy(states[from], 0, out, 0, d);
      return out;
    }
    double[] sum = new double[d];
    for (int t = from; t < to; t++) {
      for (int c = 0; c < d; c++) {
        sum[c] += states[t][c];
      }
    }
    for (int c = 0; c < d; c++) {
      out[c] = (float) (sum[c] / (to - from));
    }
    return out;
  }

  /** Parses {@code mean} / {@code cls} (case-insensitive). */
  public static Pooling parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mean" -> MEAN;
      case "cls" -> CLS;
      default -> throw new IllegalArgumentException("unknown pooling \"" + name + "\" (expected mean or cls)");
    };
  }

  /** Scales {@code v} to unit L2 length in place (a zero vector stays zero) and returns it. */
  public static float[] normalize(float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    if (sq > 0) {
      double inv = 1.0 / Math.sqrt(sq);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] * inv);
      }
    }
    return v;
  }

  /** Cosine similarity of {@code a} and {@code b}, in double precision. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
