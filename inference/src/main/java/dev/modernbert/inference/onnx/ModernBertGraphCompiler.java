package dev.modernbert.inference.onnx;

import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.model.ModernBertWeights;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.pooling.Pooling;
import java.util.Arrays;
import java.util.Map;

/**
 * Compiles ModernBERT weights into an ONNX graph computing MODERNBERT.md §3 with dynamic batch and sequence
 * axes. Inputs {@code input_ids}, {@code attention_mask} (int64 [batch, sequence], right-padded); outputs
 * {@code last_hidden_state} [batch, sequence, d] (zeros at padding) and, unless the options leave pooling out,
 * {@code sentence_embedding} [batch, d]. Global layers use
 * full attention with the key-padding mask; local layers use {@link SlidingWindowAttention}. The per-token layers
 * run on the real tokens only when the options pack them ({@link TokenPacking}).
 */
public final class ModernBertGraphCompiler {
  /** Bumped whenever the emitted graph changes, so cached graphs are rebuilt. */
  public static final String VERSION = "10";
  /**
   * Up to this many tokens, global layers of a CPU graph run the masked kernel also without padding. ONNX Runtime's
   * masked and FlashAttention kernels round differently by an ulp, and int8's rounding steps carry that across the
   * vector (cosine 0.9997 alone vs batched at 130m); with one kernel a text's hidden states are the same bit for
   * bit alone and in any batch. Measured on one text of 128 to 2048 tokens: as fast as FlashAttention at 30m and
   * within this host's noise (±8%) at 130m; at 4096 tokens 15–27% slower at 30m, so longer texts keep
   * FlashAttention. Its [B, H, S, S] scores at 1024 are no larger than those of the padded batches the CPU budget
   * already forms.
   */
  static final int MASKED_GLOBAL_ATTENTION_UP_TO = 1024;
  /** Additive mask value: exp(x - max) underflows to exactly 0 in fp32, and x stays finite. */
  static final float MASKED = -1e9f;

  private final ModernBertWeights weights;
  private final ModernBertConfig config;
  private final CompileOptions options;
  private final OnnxGraphBuilder g;
  private final int d;
  private final int heads;
  private final int headDim;
  /** Whether weights and activations are float16 ({@link CompileOptions.Precision#FP16}). */
  private final boolean half;
  /** Whether linear layers run in int8 ({@link CompileOptions.Precision#INT8}). */
  private final boolean int8;
  /** How int8 weights are stored. */
  private final Int8Weights int8Weights;

  private ModernBertGraphCompiler(ModernBertWeights weights, CompileOptions options, ExternalData external) {
    this.weights = weights;
    this.config = weights.config();
    this.options = options;
    this.g = new OnnxGraphBuilder("modernbert", external);
    this.d = config.hiddenSize();
    this.heads = config.numAttentionHeads();
    this.headDim = config.headDim();
    this.half = options.precision() == CompileOptions.Precision.FP16;
    this.int8 = options.precision() == CompileOptions.Precision.INT8;
    this.int8Weights = options.int8Weights();
  }

  /** The graph for {@code weights}; large initializers are written to {@code external}. */
  public static ModelProto compile(ModernBertWeights weights, CompileOptions options, ExternalData external) {
    return new ModernBertGraphCompiler(weights, options, external).build();
  }

  private ModelProto build() {
    String ids = g.input("input_ids", TensorProto.DataType.INT64, "batch", "sequence");
    String mask = g.input("attention_mask", TensorProto.DataType.INT64, "batch", "sequence");
    String maskF = g.op("Cast", new String[] {mask}, Map.of("to", TensorProto.DataType.FLOAT_VALUE));
    String seqLen = g.op("Slice", g.op("Shape", ids), g.ints(1), g.ints(2));
    TokenPacking packing = options.packTokens() ? TokenPacking.packed(g, mask, d) : TokenPacking.padded(g);
    String h = layerNorm(g.op("Gather", weight("tok_embeddings", weights.tokEmbeddings(), config.vocabSize(), d),
        packing.ids(ids)), new Norm("embeddings.norm", weights.embNorm(), weights.embNormBias(), false));
    GlobalMasks globalMasks = new GlobalMasks(
        g.op("Equal", g.op("ReduceMin", new String[] {mask}, Map.of("keepdims", 0)), g.ints(1)),
        g.op("Cast", new String[] {mask}, Map.of("to", TensorProto.DataType.INT32_VALUE)), seqLen);
    Rotary global = rotary("global", config.globalRopeTheta());
    Rotary local = rotary("local", config.localRopeTheta());
    LocalAttention localAttention = localAttention(maskF, seqLen);
    Norm first = normBefore(0);
    Stream s = new Stream(h, first == null ? h : layerNorm(h, first));
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      s = layer(i, s, config.isGlobal(i) ? global : local, globalMasks, localAttention, packing);
    }
    String out = g.op("Mul", packing.unpack(s.normed()), g.op("Unsqueeze", maskF, g.ints(2)));
    g.output(out, "last_hidden_state", TensorProto.DataType.FLOAT, "batch", "sequence", d);
    if (options.pooling() != null) {
      g.output(pool(out, maskF), "sentence_embedding", TensorProto.DataType.FLOAT, "batch", d);
    }
    return g.build("modernbert-search " + VERSION + " " + options.key());
  }

  /** cos/sin tables [max_positions, D/2] of one RoPE base, indexed by position inside the RotaryEmbedding kernel. */
  private record Rotary(String cos, String sin) {}

  private Rotary rotary(String name, double theta) {
    int positions = config.maxPositionEmbeddings();
    RotaryTable table = new RotaryTable(theta, headDim, positions);
    return new Rotary(weight("rope_" + name + "_cos", table.cos(), positions, headDim / 2),
        weight("rope_" + name + "_sin", table.sin(), positions, headDim / 2));
  }

  /**
   * {@code x·cos + rotate_half(x)·sin} on [B, S, d] by ONNX Runtime's RotaryEmbedding (halves, not interleaved;
   * position ids 0 = each row's positions start at 0): one kernel where the plain operators take seven passes. It
   * runs on the padded layout even when tokens are packed, because the kernel rejects a row longer than its
   * cos/sin table, which a packed row of a large batch is, and rows of [B, S] never are.
   */
  private String rope(String x, Rotary r) {
    return g.contrib("RotaryEmbedding", new String[] {x, g.ints(0), r.cos(), r.sin()}, Map.of("interleaved", 0));
  }

  /**
   * How local layers attend: masked full attention under {@code fullMask} (FULL mode), blocks ({@code window}
   * only), or, when {@code useFull} is set, full attention for sequences up to the threshold and blocks beyond.
   */
  private record LocalAttention(String fullMask, SlidingWindowAttention window, String useFull) {}

  private LocalAttention localAttention(String maskF, String seqLen) {
    if (options.attention() == CompileOptions.AttentionMode.FULL) {
      return new LocalAttention(localMask(g, maskF, seqLen), null, null);
    }
    SlidingWindowAttention window = new SlidingWindowAttention(g, config.halfWindow(), headDim, maskF, seqLen, half);
    if (options.fullAttentionUpTo() == 0) {
      return new LocalAttention(null, window, null);
    }
    String useFull = g.op("LessOrEqual", seqLen, g.ints(options.fullAttentionUpTo()));
    // The [B, 1, S, S] mask is built once for every local layer, and only for a sequence short enough to use it.
    OnnxGraphBuilder shortSeq = g.subgraph("short_local_mask");
    shortSeq.output(localMask(shortSeq, maskF, seqLen), shortSeq.subgraphOutput(), TensorProto.DataType.FLOAT,
        "batch", 1, "sequence", "sequence");
    OnnxGraphBuilder longSeq = g.subgraph("no_local_mask");
    longSeq.output(longSeq.floats("unused_local_mask", new float[1], 1, 1, 1, 1), longSeq.subgraphOutput(),
        TensorProto.DataType.FLOAT, 1, 1, 1, 1);
    String fullMask = g.op("If", new String[] {useFull},
        Map.of("then_branch", shortSeq.graph(), "else_branch", longSeq.graph()));
    return new LocalAttention(fullMask, window, useFull);
  }

  /** Local attention on [B, H, S, D] in the chosen way. */
  private String attendLocally(String q, String k, String v, LocalAttention a) {
    if (a.window() == null) {
      return fullAttention(g, q, k, v, a.fullMask());
    }
    if (a.useFull() == null) {
      return a.window().attend(g, q, k, v, scale());
    }
    OnnxGraphBuilder shortSeq = g.subgraph("short_local");
    shortSeq.output(fullAttention(shortSeq, q, k, v, a.fullMask()), shortSeq.subgraphOutput(), computeType(),
        "batch", heads, "sequence", headDim);
    OnnxGraphBuilder longSeq = g.subgraph("long_local");
    longSeq.output(a.window().attend(longSeq, q, k, v, scale()), longSeq.subgraphOutput(), computeType(), "batch",
        heads, "sequence", headDim);
    return g.op("If", new String[] {a.useFull()},
        Map.of("then_branch", shortSeq.graph(), "else_branch", longSeq.graph()));
  }

  /** Additive [B, 1, S, S] mask of the local window and key padding: −1e9 where |i − j| > w or key j is padding. */
  private String localMask(OnnxGraphBuilder b, String maskF, String seqLen) {
    String padding = b.op("Unsqueeze", b.op("Mul", b.op("Sub", maskF, b.scalar(1f)), b.scalar(-MASKED)),
        b.ints(1, 2));
    String n = b.op("Squeeze", seqLen, b.ints(0));
    String idx = b.op("Range", b.op("Squeeze", b.ints(0), b.ints(0)), n, b.op("Squeeze", b.ints(1), b.ints(0)));
    String diff = b.op("Abs", b.op("Sub", b.op("Unsqueeze", idx, b.ints(1)), b.op("Unsqueeze", idx, b.ints(0))));
    String far = b.op("Greater", diff, b.ints(config.halfWindow()));
    return b.op("Add", padding, b.op("Where", far, b.scalar(MASKED), b.scalar(0f)));
  }

  /**
   * Whether the batch has no padding (bool), the key-padding mask as int32 [B, S] and the sequence length S
   * (int64 [1]), for global layers.
   */
  private record GlobalMasks(String unpadded, String keyPadding, String seqLen) {}

  /**
   * The residual stream and what the next sublayer reads from it: the stream after its LayerNorm, or the stream
   * itself where the model has no norm there.
   */
  private record Stream(String residual, String normed) {}

  /** A LayerNorm's weights; {@code toFloat} keeps its output fp32 in an fp16 graph (the final norm). */
  private record Norm(String name, float[] gamma, float[] beta, boolean toFloat) {}

  private Stream layer(int i, Stream in, Rotary rope, GlobalMasks globalMasks, LocalAttention localAttention,
      TokenPacking packing) {
    ModernBertWeights.Layer w = weights.layer(i);
    String p = "layers." + i + ".";
    String[] qkv = linearParts(in.normed(), p + "attn.Wqkv", w.wqkv(), w.wqkvBias(), 3 * d, d, 3);
    String q = rope(packing.unpack(qkv[0]), rope);
    String k = rope(packing.unpack(qkv[1]), rope);
    String v = packing.unpack(qkv[2]);
    String o;
    if (config.isGlobal(i)) {
      o = globalAttention(q, k, v, globalMasks);
    } else {
      String heads = attendLocally(toHeadsFirst(q), toHeadsFirst(k), toHeadsFirst(v), localAttention);
      o = g.op("Reshape", swapSequenceAndHeads(heads), g.ints(0, 0, d));
    }
    o = packing.pack(o);
    Stream mid = addAndNorm(in.residual(), linear(o, p + "attn.Wo", w.wo(), w.woBias(), d, d),
        new Norm(p + "mlp_norm", w.mlpNorm(), w.mlpNormBias(), false));
    int inter = config.intermediateSize();
    String[] u = linearParts(mid.normed(), p + "mlp.Wi", w.wi(), w.wiBias(), 2 * inter, d, 2);
    String gated = g.op("Mul", gelu(u[0]), u[1]);
    return addAndNorm(mid.residual(), linear(gated, p + "mlp.Wo", w.mlpWo(), w.mlpWoBias(), d, inter),
        normBefore(i + 1));
  }

  /** The norm in front of layer {@code i}'s attention (none in layer 0), or the final norm after the last layer. */
  private Norm normBefore(int i) {
    if (i == config.numHiddenLayers()) {
      return new Norm("final_norm", weights.finalNorm(), weights.finalNormBias(), true);
    }
    ModernBertWeights.Layer w = weights.layer(i);
    return w.attnNorm() == null ? null : new Norm("layers." + i + ".attn_norm", w.attnNorm(), w.attnNormBias(), false);
  }

  /**
   * {@code residual + delta} and its {@code norm} ({@code null}: none). In fp32 one SkipLayerNormalization kernel
   * does both (ONNX Runtime fuses Add + LayerNormalization only for fixed sequence lengths, and runs its plain
   * LayerNormalization several times slower); fp16 keeps the fp32 LayerNorm on an fp16 sum.
   */
  private Stream addAndNorm(String residual, String delta, Norm norm) {
    if (norm == null || half) {
      String sum = g.op("Add", residual, delta);
      return new Stream(sum, norm == null ? sum : layerNorm(sum, norm));
    }
    String[] out = g.contrib("SkipLayerNormalization", new String[] {residual, delta, normScale(norm),
        normBias(norm)}, 4, Map.of("epsilon", (float) config.normEps()));
    return new Stream(out[3], out[0]);
  }

  /** [B, S, d] to [B, H, S, D]. */
  private String toHeadsFirst(String x) {
    return swapSequenceAndHeads(g.op("Reshape", x, g.ints(0, 0, heads, headDim)));
  }

  /** Swaps axes 1 and 2: [B, S, H, D] to [B, H, S, D] and back. */
  private String swapSequenceAndHeads(String x) {
    return g.op("Transpose", new String[] {x}, Map.of("perm", new long[] {0, 2, 1, 3}));
  }

  /**
   * Full attention of a global layer on [B, S, d] through ONNX Runtime's MultiHeadAttention. A padded batch passes
   * the key-padding mask. A batch without padding takes the mask-free branch, which the CPU kernel runs as tiled
   * FlashAttention (O(n) memory) — on the CPU only beyond {@link #MASKED_GLOBAL_ATTENTION_UP_TO} tokens, so that
   * shorter texts take the same kernel alone as in a padded batch.
   */
  private String globalAttention(String q, String k, String v, GlobalMasks masks) {
    Map<String, Object> attrs = Map.of("num_heads", heads, "scale", scale());
    OnnxGraphBuilder flash = g.subgraph("unpadded");
    flash.output(flash.contrib("MultiHeadAttention", new String[] {q, k, v}, attrs), flash.subgraphOutput(),
        computeType(), "batch", "sequence", d);
    OnnxGraphBuilder masked = g.subgraph("padded");
    masked.output(masked.contrib("MultiHeadAttention", new String[] {q, k, v, "", masks.keyPadding()}, attrs),
        masked.subgraphOutput(), computeType(), "batch", "sequence", d);
    String useFlash = half ? masks.unpadded()
        : g.op("And", masks.unpadded(), g.op("Greater", masks.seqLen(), g.ints(MASKED_GLOBAL_ATTENTION_UP_TO)));
    return g.op("If", new String[] {useFlash}, Map.of("then_branch", flash.graph(), "else_branch", masked.graph()));
  }

  private float scale() {
    return (float) (1.0 / Math.sqrt(headDim));
  }

  /** Softmax(q·kᵀ·scale + mask)·v on [B, H, S, D], emitted into {@code b}; the softmax runs in fp32. */
  private String fullAttention(OnnxGraphBuilder b, String q, String k, String v, String mask) {
    String kT = b.op("Transpose", new String[] {k}, Map.of("perm", new long[] {0, 1, 3, 2}));
    return maskedAttention(b, q, kT, v, mask, scale(), half);
  }

  /**
   * {@code softmax(q·kT·scale + mask)·v} emitted into {@code b}, keys already transposed; the scores, the additive
   * mask and the softmax are fp32 also when {@code half} (fp16 q, k, v): −1e9 does not fit in fp16.
   */
  static String maskedAttention(OnnxGraphBuilder b, String q, String kT, String v, String mask, float scale,
      boolean half) {
    String raw = b.op("MatMul", q, kT);
    String scores = b.op("Add", b.op("Mul", half ? b.cast(raw, TensorProto.DataType.FLOAT) : raw, b.scalar(scale)),
        mask);
    String probs = b.op("Softmax", new String[] {scores}, Map.of("axis", -1));
    return b.op("MatMul", half ? b.cast(probs, TensorProto.DataType.FLOAT16) : probs, v);
  }

  /**
   * Exact erf GELU: {@code 0.5·x·(1 + erf(x/√2))}, written as ONNX Runtime's GeluFusion matches it (Div by √2),
   * so it runs as one Gelu kernel instead of five element-wise passes.
   */
  private String gelu(String x) {
    String erf = g.op("Erf", g.op("Div", x, constant((float) Math.sqrt(2.0))));
    return g.op("Mul", g.op("Mul", x, constant(0.5f)), g.op("Add", erf, constant(1f)));
  }

  /** A weight initializer in the compute precision. */
  private String weight(String name, float[] values, long... dims) {
    return half ? g.halves(name, values, dims) : g.floats(name, values, dims);
  }

  /** A scalar in the compute precision. */
  private String constant(float value) {
    return half ? g.halfScalar(value) : g.scalar(value);
  }

  private TensorProto.DataType computeType() {
    return half ? TensorProto.DataType.FLOAT16 : TensorProto.DataType.FLOAT;
  }

  /**
   * LayerNorm computed in fp32 whatever the compute precision (fp16 variance is not stable); returned in the
   * compute precision unless {@code norm.toFloat()}.
   */
  private String layerNorm(String x, Norm norm) {
    String[] in = new String[] {half ? g.cast(x, TensorProto.DataType.FLOAT) : x, normScale(norm), normBias(norm)};
    String y = g.op("LayerNormalization", in, Map.of("axis", -1, "epsilon", (float) config.normEps()));
    return half && !norm.toFloat() ? g.cast(y, TensorProto.DataType.FLOAT16) : y;
  }

  private String normScale(Norm norm) {
    return g.floats(norm.name() + ".weight", norm.gamma(), d);
  }

  /**
   * An explicit bias, zeros when the checkpoint has none: ONNX Runtime 1.16 (the one ml-commons ships) aborts the
   * process while fusing a bias-less LayerNormalization into SkipLayerNormalization.
   */
  private String normBias(Norm norm) {
    return g.floats(norm.name() + ".bias", norm.beta() == null ? new float[d] : norm.beta(), d);
  }

  /** {@code x·Aᵀ (+ b)} with A stored [out, in]; the initializer holds Aᵀ [in, out]. */
  private String linear(String x, String name, float[] a, float[] bias, int out, int in) {
    return linearParts(x, name, a, bias, out, in, 1)[0];
  }

  /**
   * {@code x·Aᵀ (+ b)} cut along its outputs into {@code parts} equal tensors, each by its own MatMul over its rows
   * of A: as fast as one MatMul, without the copy a Split of its result costs. In int8, {@code x} is quantized once
   * for all parts.
   */
  private String[] linearParts(String x, String name, float[] a, float[] bias, int out, int in, int parts) {
    int rows = out / parts;
    String[] y = new String[parts];
    Int8Linear.QuantizedRows quantized = int8 ? Int8Linear.quantizeRows(g, x, in) : null;
    for (int part = 0; part < parts; part++) {
      float[] t = new float[rows * in];
      for (int o = 0; o < rows; o++) {
        for (int k = 0; k < in; k++) {
          t[k * rows + o] = a[(part * rows + o) * in + k];
        }
      }
      String suffix = parts == 1 ? "" : "." + part;
      y[part] = int8 ? Int8Linear.matMul(g, quantized, name + ".weight.T" + suffix, t, in, rows, int8Weights)
          : g.op("MatMul", x, weight(name + ".weight.T" + suffix, t, in, rows));
      if (bias != null) {
        float[] b = Arrays.copyOfRange(bias, part * rows, (part + 1) * rows);
        y[part] = g.op("Add", y[part], weight(name + ".bias" + suffix, b, rows));
      }
    }
    return y;
  }

  /** The pooled vector of {@code out} [B, S, d], zero at padding. */
  private String pool(String out, String maskF) {
    String pooled;
    if (options.pooling() == Pooling.CLS) {
      pooled = g.op("Squeeze", g.op("Slice", out, g.ints(0), g.ints(1), g.ints(1)), g.ints(1));
    } else {
      String sum = g.op("ReduceSum", new String[] {out, g.ints(1)}, Map.of("keepdims", 0));
      String count = g.op("ReduceSum", new String[] {maskF, g.ints(1)}, Map.of("keepdims", 1));
      pooled = g.op("Div", sum, g.op("Max", count, g.scalar(1e-9f)));
    }
    return options.normalize() ? g.op("LpNormalization", new String[] {pooled}, Map.of("axis", -1, "p", 2)) : pooled;
  }
}
