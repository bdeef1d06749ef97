package dev.modernbert.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture fields of a ModernBERT {@code config.json} (MODERNBERT.md §1), read from either schema:
 * transformers 4.x ({@code global_rope_theta}, {@code local_rope_theta}, {@code global_attn_every_n_layers})
 * or 5.x ({@code layer_types}, {@code rope_parameters}). Training-only fields are ignored.
 *
 * @param globalLayers {@code globalLayers[i]} is true when layer i uses full attention
 */
public record ModernBertConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    String hiddenActivation,
    int maxPositionEmbeddings,
    double normEps,
    boolean normBias,
    boolean attentionBias,
    boolean mlpBias,
    int globalAttnEveryNLayers,
    int localAttention,
    double globalRopeTheta,
    double localRopeTheta,
    boolean[] globalLayers,
    int padTokenId,
    int bosTokenId,
    int eosTokenId,
    int sepTokenId,
    int clsTokenId,
    String classifierPooling,
    boolean decoderBias,
    boolean tieWordEmbeddings,
    String torchDtype) {

  public static final String FILE = "config.json";
  /** The widest hidden, intermediate or head dimension a folder may declare. */
  static final int MAX_DIMENSION = 1 << 16;

  /** Head dimension D = d / H. */
  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** Half-width of the local window, {@code local_attention / 2} (64 for ModernBERT-Ja). */
  public int halfWindow() {
    return localAttention / 2;
  }

  /** Whether layer {@code i} uses full (global) attention. */
  public boolean isGlobal(int layer) {
    return globalLayers[layer];
  }

  /** RoPE base of layer {@code i}. */
  public double ropeTheta(int layer) {
    return globalLayers[layer] ? globalRopeTheta : localRopeTheta;
  }

  /** Reads {@code folder/config.json}. */
  public static ModernBertConfig read(Path folder) {
    return parse(JsonFiles.read(folder.resolve(FILE), JsonFiles.MAX_CONFIG_BYTES));
  }

  /** Parses a config object; throws {@link InvalidModelException} naming the offending field. */
  public static ModernBertConfig parse(JsonNode c) {
    String modelType = c.path("model_type").asText("");
    if (!modelType.equals("modernbert")) {
      throw bad("model_type \"" + modelType + "\" is not supported (expected \"modernbert\"; for other encoders"
          + " use an exported model.onnx folder)");
    }
    int d = positive(c, "hidden_size", 768);
    int heads = positive(c, "num_attention_heads", 12);
    if (d % heads != 0) {
      throw bad("hidden_size " + d + " is not divisible by num_attention_heads " + heads);
    }
    if ((d / heads) % 2 != 0) {
      throw bad("head dimension " + (d / heads) + " must be even for rotary embeddings");
    }
    String act = c.path("hidden_activation").asText("gelu");
    if (!act.equals("gelu")) {
      throw bad("hidden_activation \"" + act + "\" is not supported (ModernBERT uses exact \"gelu\")");
    }
    int layers = positive(c, "num_hidden_layers", 22);
    int every = positive(c, "global_attn_every_n_layers", 3);
    int window = positive(c, "local_attention", 128);
    if (window % 2 != 0) {
      throw bad("local_attention " + window + " must be even");
    }
    boolean[] global = layerTypes(c, layers, every);
    double[] thetas = ropeThetas(c);
    return new ModernBertConfig(
        positive(c, "vocab_size", 50368), d, positive(c, "intermediate_size", 1152), layers, heads, act,
        positive(c, "max_position_embeddings", 8192), positiveDouble(c, "norm_eps", 1e-5),
        bool(c, "norm_bias", false), bool(c, "attention_bias", false), bool(c, "mlp_bias", false),
        every, window, thetas[0], thetas[1], global,
        tokenId(c, "pad_token_id", 50283), tokenId(c, "bos_token_id", 50281), tokenId(c, "eos_token_id", 50282),
        tokenId(c, "sep_token_id", 50282), tokenId(c, "cls_token_id", 50281),
        c.path("classifier_pooling").asText("cls"), bool(c, "decoder_bias", true),
        bool(c, "tie_word_embeddings", true), c.path("torch_dtype").asText(c.path("dtype").asText("float32")));
  }

  private static boolean[] layerTypes(JsonNode c, int layers, int every) {
    boolean[] global = new boolean[layers];
    JsonNode types = c.get("layer_types");
    if (types != null && !types.isNull()) {
      if (!types.isArray() || types.size() != layers) {
        throw bad("layer_types must be an array of num_hidden_layers (" + layers + ") entries");
      }
      for (int i = 0; i < layers; i++) {
        String t = types.get(i).asText("");
        if (!t.equals("full_attention") && !t.equals("sliding_attention")) {
          throw bad("layer_types[" + i + "] = \"" + t + "\" (expected full_attention or sliding_attention)");
        }
        global[i] = t.equals("full_attention");
      }
      return global;
    }
    for (int i = 0; i < layers; i++) {
      global[i] = i % every == 0;
    }
    return global;
  }

  /** {global, local} RoPE bases; the 5.x {@code rope_parameters} win over the 4.x keys. */
  private static double[] ropeThetas(JsonNode c) {
    double global = positiveDouble(c, "global_rope_theta", 160000.0);
    // transformers 4.x falls back to the global base when local_rope_theta is present but null
    double local = c.has("local_rope_theta") && c.get("local_rope_theta").isNull()
        ? global : positiveDouble(c, "local_rope_theta", 10000.0);
    JsonNode rope = c.get("rope_parameters");
    if (rope != null && rope.isObject()) {
      global = ropeTheta(rope, "full_attention", global);
      local = ropeTheta(rope, "sliding_attention", local);
    }
    return new double[] {global, local};
  }

  private static double ropeTheta(JsonNode rope, String layerType, double fallback) {
    JsonNode p = rope.get(layerType);
    if (p == null || !p.isObject()) {
      return fallback;
    }
    String type = p.path("rope_type").asText("default");
    if (!type.equals("default")) {
      throw bad("rope_parameters." + layerType + ".rope_type \"" + type + "\" is not supported (expected default)");
    }
    return p.has("rope_theta") ? positiveDouble(p, "rope_theta", fallback) : fallback;
  }

  /**
   * The positive integer {@code field} of {@code c} (bounded: a dimension, or a vocabulary or length), or
   * {@code fallback} when absent; anything else is refused naming the field. Also used for exported folders.
   */
  static int positive(JsonNode c, String field, int fallback) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.asLong() <= 0 || v.asLong() > (field.equals("vocab_size")
        || field.equals("max_position_embeddings") ? Integer.MAX_VALUE / 4 : MAX_DIMENSION)) {
      throw bad(field + " = " + v + " is not a valid positive integer");
    }
    return v.asInt();
  }

  /** The token id {@code field} of {@code c}, or {@code fallback} when absent; refused when not one. */
  static int tokenId(JsonNode c, String field, int fallback) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
      throw bad(field + " = " + v + " is not a valid token id");
    }
    return v.asInt();
  }

  private static double positiveDouble(JsonNode c, String field, double fallback) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
      throw bad(field + " = " + v + " is not a positive number");
    }
    return v.asDouble();
  }

  private static boolean bool(JsonNode c, String field, boolean fallback) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw bad(field + " = " + v + " is not a boolean");
    }
    return v.asBoolean();
  }

  private static InvalidModelException bad(String what) {
    return new InvalidModelException(FILE + ": " + what);
  }

  /** Indexes of the global layers, for messages and tests. */
  public List<Integer> globalLayerIndexes() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < numHiddenLayers; i++) {
      if (globalLayers[i]) {
        out.add(i);
      }
    }
    return out;
  }
}
