package dev.modernbert.inference.random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.model.JsonFiles;
import java.util.Locale;

/**
 * The published ModernBERT-Ja / Ruri v3 sizes (MODERNBERT.md §1.2), plus {@code tiny}: a small model with a
 * short window (8) so that local attention is exercised by short texts.
 */
public enum ModelShape {
  TINY(64, 128, 4, 4, 8),
  M30(256, 1024, 10, 4, 128),
  M70(384, 1536, 13, 6, 128),
  M130(512, 2048, 19, 8, 128),
  M310(768, 3072, 25, 12, 128);

  /** Vocabulary of the real ModernBERT-Ja tokenizer. */
  public static final int VOCAB = 102400;

  public final int hidden;
  public final int intermediate;
  public final int layers;
  public final int heads;
  public final int localAttention;

  ModelShape(int hidden, int intermediate, int layers, int heads, int localAttention) {
    this.hidden = hidden;
    this.intermediate = intermediate;
    this.layers = layers;
    this.heads = heads;
    this.localAttention = localAttention;
  }

  /** {@code tiny}, {@code 30m}, {@code 70m}, {@code 130m} or {@code 310m}. */
  public String id() {
    return this == TINY ? "tiny" : name().substring(1).toLowerCase(Locale.ROOT) + "m";
  }

  /**
   * The transformers 4.x {@code config.json} of this shape, with the ModernBERT-Ja token ids and RoPE bases.
   * {@code maskedLm} selects the {@code ModernBertForMaskedLM} architecture instead of a bare encoder.
   */
  public ObjectNode configJson(boolean maskedLm) {
    ObjectNode c = JsonFiles.mapper().createObjectNode();
    c.putArray("architectures").add(maskedLm ? "ModernBertForMaskedLM" : "ModernBertModel");
    c.put("model_type", "modernbert");
    c.put("vocab_size", VOCAB);
    c.put("hidden_size", hidden);
    c.put("intermediate_size", intermediate);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("hidden_activation", "gelu");
    c.put("max_position_embeddings", 8192);
    c.put("norm_eps", 1e-5);
    c.put("norm_bias", false);
    c.put("attention_bias", false);
    c.put("mlp_bias", false);
    c.put("global_attn_every_n_layers", 3);
    c.put("local_attention", localAttention);
    c.put("global_rope_theta", 160000.0);
    c.put("local_rope_theta", 10000.0);
    c.put("pad_token_id", 3);
    c.put("bos_token_id", 1);
    c.put("eos_token_id", 2);
    c.put("sep_token_id", 4);
    c.put("cls_token_id", 6);
    c.put("classifier_pooling", "cls");
    c.put("decoder_bias", true);
    c.put("tie_word_embeddings", true);
    c.put("torch_dtype", "float32");
    return c;
  }

  /** Parses an {@link #id()}. */
  public static ModelShape parse(String id) {
    for (ModelShape s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown shape \"" + id + "\" (expected tiny, 30m, 70m, 130m or 310m)");
  }
}
