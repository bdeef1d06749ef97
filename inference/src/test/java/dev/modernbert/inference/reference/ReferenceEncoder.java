package dev.modernbert.inference.reference;

import dev.modernbert.inference.onnx.Int8Weights;
import dev.modernbert.inference.onnx.RotaryTable;
import dev.modernbert.inference.runtime.Encoder;
import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.model.ModernBertWeights;
import dev.modernbert.inference.pooling.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A plain-Java ModernBERT forward pass written directly from MODERNBERT.md §3: naive attention that
 * evaluates the window rule per query/key pair, exact erf GELU, and double-precision accumulation.
 * It favours clarity over speed: it is the oracle the ONNX engine is tested against.
 */
public final class ReferenceEncoder implements Encoder {
  private final ModernBertConfig config;
  private final ModernBertWeights weights;
  private final int d;
  private final int heads;
  private final int headDim;
  private final int positions;
  private final Pooling pooling;
  /** The int8 weight format the linear layers emulate, or null for double precision. */
  private final Int8Weights int8;

  public ReferenceEncoder(ModernBertWeights weights, Pooling pooling) {
    this(weights, pooling, null);
  }

  /**
   * The reference with its linear layers in the int8 arithmetic of the compiled INT8 graph ({@link #int8Linear})
   * with weights stored as {@code int8}, or in double precision when it is null.
   */
  public ReferenceEncoder(ModernBertWeights weights, Pooling pooling, Int8Weights int8) {
    this.int8 = int8;
    this.weights = weights;
    this.pooling = pooling;
    this.config = weights.config();
    this.d = config.hiddenSize();
    this.heads = config.numAttentionHeads();
    this.headDim = config.headDim();
    this.positions = config.maxPositionEmbeddings();
  }

  @Override
  public List<float[][]> hiddenStates(List<int[]> sequences) {
    List<float[][]> out = new ArrayList<>(sequences.size());
    for (int[] ids : sequences) {
      out.add(forward(ids, ids.length));
    }
    return out;
  }

  @Override
  public List<float[]> embeddings(List<int[]> sequences) {
    List<float[]> out = new ArrayList<>(sequences.size());
    for (int[] ids : sequences) {
      out.add(pooling.pool(forward(ids, ids.length), ids.length));
    }
    return out;
  }

  @Override
  public int hiddenSize() {
    return d;
  }

  @Override
  public String device() {
    return "reference";
  }

  /**
   * The padded path of Hugging Face (§3.9): positions {@code 0..n-1}, keys at or beyond {@code validLength}
   * masked, pad queries still computed. With {@code validLength == ids.length} this is the unpadded pass.
   */
  public float[][] forward(int[] ids, int validLength) {
    RotaryTable[] tables = tablesFor(ids.length);
    double[][] h = embed(ids);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      h = layer(i, h, validLength, tables);
    }
    return toFloat(layerNorm(h, weights.finalNorm(), weights.finalNormBias()));
  }

  private RotaryTable[] tablesFor(int n) {
    if (n > positions) {
      throw new IllegalArgumentException("sequence of " + n + " tokens exceeds max_position_embeddings " + positions);
    }
    return new RotaryTable[] {
        new RotaryTable(config.globalRopeTheta(), headDim, n), new RotaryTable(config.localRopeTheta(), headDim, n)};
  }

  double[][] embed(int[] ids) {
    double[][] e = new double[ids.length][d];
    float[] table = weights.tokEmbeddings();
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] < 0 || ids[t] >= config.vocabSize()) {
        throw new IllegalArgumentException("token id " + ids[t] + " is outside the vocabulary");
      }
      for (int c = 0; c < d; c++) {
        e[t][c] = table[ids[t] * d + c];
      }
    }
    return layerNorm(e, weights.embNorm(), weights.embNormBias());
  }

  /** One encoder layer (§3.4) applied to {@code h}; keys at or beyond {@code validLength} are masked. */
  double[][] layer(int i, double[][] h, int validLength) {
    return layer(i, h, validLength, tablesFor(h.length));
  }

  private double[][] layer(int i, double[][] h, int validLength, RotaryTable[] tables) {
    ModernBertWeights.Layer w = weights.layer(i);
    double[][] x = w.attnNorm() == null ? h : layerNorm(h, w.attnNorm(), w.attnNormBias());
    double[][] attn = project(attention(i, project(x, w.wqkv(), w.wqkvBias(), 3 * d, d), validLength, tables),
        w.wo(), w.woBias(), d, d);
    double[][] h1 = add(h, attn);
    double[][] y = layerNorm(h1, w.mlpNorm(), w.mlpNormBias());
    int inter = config.intermediateSize();
    double[][] u = project(y, w.wi(), w.wiBias(), 2 * inter, d);
    double[][] g = new double[h.length][inter];
    for (int t = 0; t < h.length; t++) {
      for (int c = 0; c < inter; c++) {
        g[t][c] = Erf.gelu(u[t][c]) * u[t][inter + c];
      }
    }
    return add(h1, project(g, w.mlpWo(), w.mlpWoBias(), d, inter));
  }

  private double[][] attention(int layer, double[][] qkv, int validLength, RotaryTable[] tables) {
    int n = qkv.length;
    boolean global = config.isGlobal(layer);
    RotaryTable rope = tables[global ? 0 : 1];
    for (int t = 0; t < n; t++) {
      for (int hd = 0; hd < heads; hd++) {
        rope.rotate(qkv[t], hd * headDim, t);
        rope.rotate(qkv[t], d + hd * headDim, t);
      }
    }
    int halfWindow = global ? n : config.halfWindow();
    double[][] out = new double[n][d];
    IntStream.range(0, n).parallel().forEach(q -> {
      double[] scores = new double[n];
      for (int hd = 0; hd < heads; hd++) {
        attendOneHead(qkv, q, hd, validLength, halfWindow, scores, out[q]);
      }
    });
    return out;
  }

  /**
   * Adds head {@code hd}'s attention output for query {@code q} to {@code out}: softmax over the valid keys
   * within {@code halfWindow} of {@code q}, of the scaled dot products, weighting the values.
   */
  private void attendOneHead(double[][] qkv, int q, int hd, int validLength, int halfWindow, double[] scores,
      double[] out) {
    int qo = hd * headDim;
    int ko = d + hd * headDim;
    int vo = 2 * d + hd * headDim;
    double scale = 1.0 / Math.sqrt(headDim);
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < scores.length; k++) {
      if (k >= validLength || Math.abs(q - k) > halfWindow) {
        scores[k] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double s = 0;
      for (int c = 0; c < headDim; c++) {
        s += qkv[q][qo + c] * qkv[k][ko + c];
      }
      scores[k] = s * scale;
      max = Math.max(max, scores[k]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      // a pad query whose window holds only pad keys: HF's finfo.min mask gives a uniform average
      Arrays.fill(scores, 0.0);
      max = 0.0;
    }
    double sum = 0;
    for (int k = 0; k < scores.length; k++) {
      scores[k] = Math.exp(scores[k] - max);
      sum += scores[k];
    }
    for (int k = 0; k < scores.length; k++) {
      double p = scores[k] / sum;
      if (p != 0) {
        for (int c = 0; c < headDim; c++) {
          out[qo + c] += p * qkv[k][vo + c];
        }
      }
    }
  }

  private double[][] project(double[][] x, float[] a, float[] bias, int out, int in) {
    return int8 != null ? int8Linear(x, a, bias, out, in, int8) : linear(x, a, bias, out, in);
  }

  /**
   * {@code y_t = A·x_t (+ b)} in int8: each row of A (output channel) scaled to integers in [−levels, levels] by
   * its largest magnitude, or coarser where its entries 2j and 2j+1 must sum to at most the format's pair limit;
   * each token {@code x_t}, taken as float32, scaled to [−127, 127] by its own; the integer dot product rescaled
   * by both scales in float32.
   */
  public static double[][] int8Linear(double[][] x, float[] a, float[] bias, int out, int in, Int8Weights format) {
    float[] rowScale = new float[out];
    int[] q = new int[out * in];
    for (int o = 0; o < out; o++) {
      rowScale[o] = quantizeRow(a, o * in, in, format, q);
    }
    double[][] y = new double[x.length][out];
    IntStream.range(0, x.length).parallel().forEach(t -> {
      float max = 0;
      for (double v : x[t]) {
        max = Math.max(max, Math.abs((float) v));
      }
      float scale = Math.max(max, Float.MIN_NORMAL) / 127;
      int[] xq = new int[in];
      for (int k = 0; k < in; k++) {
        xq[k] = (int) Math.rint((float) x[t][k] / scale);
      }
      for (int o = 0; o < out; o++) {
        int dot = 0;
        for (int k = 0; k < in; k++) {
          dot += xq[k] * q[o * in + k];
        }
        y[t][o] = (float) dot * rowScale[o] * scale + (bias == null ? 0f : bias[o]);
      }
    });
    return y;
  }

  /**
   * Row {@code a[from, from + in)} into {@code q} at the same place: levels no larger than the format's, each pair
   * (2j, 2j+1) summing to at most its pair limit in magnitude (where rounding overshoots, the larger one moves one
   * level toward zero); returns the row's scale.
   */
  private static float quantizeRow(float[] a, int from, int in, Int8Weights format, int[] q) {
    float max = 0;
    float pairMax = 0;
    for (int k = 0; k < in; k++) {
      max = Math.max(max, Math.abs(a[from + k]));
    }
    for (int k = 0; k + 1 < in; k += 2) {
      pairMax = Math.max(pairMax, Math.abs(a[from + k] + a[from + k + 1]));
    }
    float scale = max == 0 ? 1 : Math.max(max / format.levels(), pairMax / format.pairLimit());
    for (int k = 0; k < in; k++) {
      q[from + k] = (int) Math.rint(a[from + k] / scale);
    }
    for (int k = 0; k + 1 < in; k += 2) {
      int sum = q[from + k] + q[from + k + 1];
      if (Math.abs(sum) > format.pairLimit()) {
        q[from + (Math.abs(q[from + k]) >= Math.abs(q[from + k + 1]) ? k : k + 1)] -= Integer.signum(sum);
      }
    }
    return scale;
  }

  /** {@code y_t = A·x_t (+ b)} with {@code A} stored {@code [out, in]} row-major (nn.Linear). */
  static double[][] linear(double[][] x, float[] a, float[] bias, int out, int in) {
    double[][] y = new double[x.length][out];
    IntStream.range(0, x.length).parallel().forEach(t -> {
      double[] xt = x[t];
      for (int o = 0; o < out; o++) {
        double s = bias == null ? 0 : bias[o];
        int base = o * in;
        for (int k = 0; k < in; k++) {
          s += xt[k] * a[base + k];
        }
        y[t][o] = s;
      }
    });
    return y;
  }

  /** LayerNorm over the last axis with biased variance, ε = norm_eps, optional β. */
  double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
    double eps = config.normEps();
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (double v : x[t]) {
        mean += v;
      }
      mean /= x[t].length;
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[t].length;
      double inv = 1.0 / Math.sqrt(var + eps);
      y[t] = new double[x[t].length];
      for (int c = 0; c < x[t].length; c++) {
        y[t][c] = (x[t][c] - mean) * inv * gamma[c] + (beta == null ? 0 : beta[c]);
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][];
    for (int t = 0; t < a.length; t++) {
      y[t] = new double[a[t].length];
      for (int c = 0; c < a[t].length; c++) {
        y[t][c] = a[t][c] + b[t][c];
      }
    }
    return y;
  }

  private static float[][] toFloat(double[][] x) {
    float[][] y = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = new float[x[t].length];
      for (int c = 0; c < x[t].length; c++) {
        y[t][c] = (float) x[t][c];
      }
    }
    return y;
  }
}
