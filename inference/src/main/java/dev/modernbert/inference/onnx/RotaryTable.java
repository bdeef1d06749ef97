package dev.modernbert.inference.onnx;

/**
 * cos/sin tables of rotary position embeddings for one base θ (MODERNBERT.md §3.5): {@code inv_freq[j] =
 * 1/θ^(2j/D)} rounded to float, angle {@code p·inv_freq[j]} rounded to float as PyTorch computes it, and
 * its cos and sin rounded to float.
 */
public final class RotaryTable {
  private final int half;
  private final float[] cos;
  private final float[] sin;

  /** Tables for positions {@code 0..positions-1} and head dimension {@code headDim}. */
  public RotaryTable(double theta, int headDim, int positions) {
    this.half = headDim / 2;
    float[] invFreq = inverseFrequencies(theta, headDim);
    this.cos = new float[positions * half];
    this.sin = new float[positions * half];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < half; j++) {
        float angle = (float) p * invFreq[j];
        cos[p * half + j] = (float) Math.cos(angle);
        sin[p * half + j] = (float) Math.sin(angle);
      }
    }
  }

  /** {@code inv_freq[j] = 1 / θ^(2j/D)}, computed in double and rounded to float. */
  static float[] inverseFrequencies(double theta, int headDim) {
    float[] inv = new float[headDim / 2];
    for (int j = 0; j < inv.length; j++) {
      inv[j] = (float) (1.0 / Math.pow(theta, (2.0 * j) / headDim));
    }
    return inv;
  }

  /** cos of position p's angle j at {@code [p·D/2 + j]} (the layout of ONNX Runtime's RotaryEmbedding cache). */
  public float[] cos() {
    return cos.clone();
  }

  /** sin of position p's angle j at {@code [p·D/2 + j]}. */
  public float[] sin() {
    return sin.clone();
  }

  /** Rotates {@code x[offset..offset+D)} in place for position {@code p} (rotate-half convention). */
  public void rotate(double[] x, int offset, int p) {
    for (int j = 0; j < half; j++) {
      double c = cos[p * half + j];
      double s = sin[p * half + j];
      double a = x[offset + j];
      double b = x[offset + j + half];
      x[offset + j] = a * c - b * s;
      x[offset + j + half] = b * c + a * s;
    }
  }
}
