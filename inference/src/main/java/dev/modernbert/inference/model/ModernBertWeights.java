package dev.modernbert.inference.model;

/**
 * The encoder weights of a ModernBERT checkpoint as float arrays (row-major, PyTorch {@code [out, in]}
 * layout), each checked against the shape {@code config.json} implies (MODERNBERT.md §2). Biases are
 * {@code null} unless the config enables them.
 */
public final class ModernBertWeights {

  /** Weights of one encoder layer; {@code attnNorm} is null for layer 0, which uses the identity. */
  public record Layer(
      float[] attnNorm, float[] attnNormBias,
      float[] wqkv, float[] wqkvBias, float[] wo, float[] woBias,
      float[] mlpNorm, float[] mlpNormBias,
      float[] wi, float[] wiBias, float[] mlpWo, float[] mlpWoBias) {}

  /** Masked-LM head (present in ModernBERT-Ja MLM checkpoints); {@code decoder} falls back to the embedding table. */
  public record MaskedLmHead(float[] dense, float[] denseBias, float[] norm, float[] normBias, float[] decoder,
      float[] decoderBias) {}

  private final ModernBertConfig config;
  private final float[] tokEmbeddings;
  private final float[] embNorm;
  private final float[] embNormBias;
  private final Layer[] layers;
  private final float[] finalNorm;
  private final float[] finalNormBias;
  private final MaskedLmHead head;

  private ModernBertWeights(ModernBertConfig config, Checkpoint ckpt) {
    this.config = config;
    long v = config.vocabSize();
    long d = config.hiddenSize();
    this.tokEmbeddings = ckpt.floats("embeddings.tok_embeddings.weight", v, d);
    this.embNorm = norm(ckpt, "embeddings.norm");
    this.embNormBias = normBias(ckpt, "embeddings.norm");
    this.layers = new Layer[config.numHiddenLayers()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = layer(ckpt, i);
    }
    this.finalNorm = norm(ckpt, "final_norm");
    this.finalNormBias = normBias(ckpt, "final_norm");
    this.head = ckpt.has("head.dense.weight") ? head(ckpt) : null;
  }

  /** Loads and validates every encoder tensor of {@code ckpt} against {@code config}. */
  public static ModernBertWeights load(ModernBertConfig config, Checkpoint ckpt) {
    return new ModernBertWeights(config, ckpt);
  }

  private Layer layer(Checkpoint c, int i) {
    long d = config.hiddenSize();
    long inter = config.intermediateSize();
    String p = "layers." + i + ".";
    boolean ab = config.attentionBias();
    boolean mb = config.mlpBias();
    return new Layer(
        i == 0 ? null : norm(c, p + "attn_norm"), i == 0 ? null : normBias(c, p + "attn_norm"),
        c.floats(p + "attn.Wqkv.weight", 3 * d, d), ab ? c.floats(p + "attn.Wqkv.bias", 3 * d) : null,
        c.floats(p + "attn.Wo.weight", d, d), ab ? c.floats(p + "attn.Wo.bias", d) : null,
        norm(c, p + "mlp_norm"), normBias(c, p + "mlp_norm"),
        c.floats(p + "mlp.Wi.weight", 2 * inter, d), mb ? c.floats(p + "mlp.Wi.bias", 2 * inter) : null,
        c.floats(p + "mlp.Wo.weight", d, inter), mb ? c.floats(p + "mlp.Wo.bias", d) : null);
  }

  private MaskedLmHead head(Checkpoint c) {
    long d = config.hiddenSize();
    float[] decoder = c.has("decoder.weight")
        ? c.floats("decoder.weight", config.vocabSize(), d) : tokEmbeddings;
    return new MaskedLmHead(c.floats("head.dense.weight", d, d),
        c.has("head.dense.bias") ? c.floats("head.dense.bias", d) : null,
        norm(c, "head.norm"), normBias(c, "head.norm"), decoder,
        config.decoderBias() ? c.floats("decoder.bias", config.vocabSize()) : null);
  }

  private float[] norm(Checkpoint c, String module) {
    String name = module + ".weight";
    float[] w = c.floats(name, config.hiddenSize());
    requireFinite(c, name, w);
    return w;
  }

  private float[] normBias(Checkpoint c, String module) {
    if (!config.normBias()) {
      return null;
    }
    String name = module + ".bias";
    float[] b = c.floats(name, config.hiddenSize());
    requireFinite(c, name, b);
    return b;
  }

  private static void requireFinite(Checkpoint c, String name, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new InvalidModelException(c.fileOf(name).path().getFileName() + ": tensor " + c.info(name).name()
            + " has a non-finite value (" + values[i] + ") at index " + i);
      }
    }
  }

  public ModernBertConfig config() {
    return config;
  }

  /** Embedding table [V, d]. */
  public float[] tokEmbeddings() {
    return tokEmbeddings;
  }

  public float[] embNorm() {
    return embNorm;
  }

  public float[] embNormBias() {
    return embNormBias;
  }

  public Layer layer(int i) {
    return layers[i];
  }

  public float[] finalNorm() {
    return finalNorm;
  }

  public float[] finalNormBias() {
    return finalNormBias;
  }

  /** The MLM head, or {@code null} for a bare encoder checkpoint. */
  public MaskedLmHead head() {
    return head;
  }
}
