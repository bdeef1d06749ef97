package dev.modernbert.inference.random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.EmbeddingProfile;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.model.SafetensorsWriter;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.SentencePieceTokenizerJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a random-weight checkpoint folder in the published format: {@code config.json},
 * {@code model.safetensors}, the real ModernBERT-Ja tokenizer files and (for embedding models) the
 * sentence-transformers metadata of Ruri v3. Weights are drawn so activations stay O(1) through every
 * layer: linear weights ~ N(0, 1/in), embeddings ~ N(0, 1), LayerNorm weights ~ 1 + N(0, 0.2²).
 */
public final class RandomCheckpointWriter {
  static final String TOKENIZER_RESOURCE = "/modernbert-ja-tokenizer/";
  static final String[] TOKENIZER_FILES = {
      "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "MODEL_LICENSE.txt"};

  /**
   * What to write.
   *
   * @param dtype the stored dtype of every tensor (F32, F16 or BF16)
   * @param maskedLm write a {@code ModernBertForMaskedLM} checkpoint ({@code model.} prefix, MLM head with the
   *     decoder tied to the embeddings) instead of a sentence-transformers encoder
   * @param biases give every linear layer and LayerNorm a bias ({@code attention_bias}, {@code mlp_bias},
   *     {@code norm_bias}): the published models have none, but config.json allows them
   */
  public record Options(ModelShape shape, long seed, DType dtype, boolean maskedLm, boolean biases) {
    /** Options without biases, as the published models are. */
    public Options(ModelShape shape, long seed, DType dtype, boolean maskedLm) {
      this(shape, seed, dtype, maskedLm, false);
    }
  }

  private RandomCheckpointWriter() {}

  /** Writes the folder {@code out} (created if needed). */
  public static void write(Options o, Path out) throws IOException {
    Files.createDirectories(out);
    ObjectNode configJson = o.shape().configJson(o.maskedLm());
    for (String flag : new String[] {"norm_bias", "attention_bias", "mlp_bias"}) {
      configJson.put(flag, o.biases());
    }
    ModernBertConfig config = ModernBertConfig.parse(configJson);
    writeString(out.resolve(ModernBertConfig.FILE), configJson.toPrettyString());
    writeTokenizer(out);
    if (!o.maskedLm()) {
      writeSentenceTransformers(out, config.hiddenSize());
    }
    writeWeights(o, config, out.resolve("model.safetensors"));
  }

  /** Tensors in file order; every value is drawn in that order from one seeded stream. */
  private static void writeWeights(Options o, ModernBertConfig c, Path file) throws IOException {
    String p = o.maskedLm() ? "model." : "";
    long d = c.hiddenSize();
    long inter = c.intermediateSize();
    RandomTensors t = new RandomTensors(new SafetensorsWriter(file), o.dtype(), o.biases(), o.seed());
    t.declare(p + "embeddings.tok_embeddings.weight", 0, 1, c.vocabSize(), d);
    t.norm(p + "embeddings.norm", d);
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      String l = p + "layers." + i + ".";
      if (i > 0) {
        t.norm(l + "attn_norm", d);
      }
      t.linear(l + "attn.Wqkv", 3 * d, d);
      t.linear(l + "attn.Wo", d, d);
      t.norm(l + "mlp_norm", d);
      t.linear(l + "mlp.Wi", 2 * inter, d);
      t.linear(l + "mlp.Wo", d, inter);
    }
    t.norm(p + "final_norm", d);
    if (o.maskedLm()) {
      t.declare("head.dense.weight", 0, 1 / Math.sqrt(d), d, d);
      t.declare("head.norm.weight", 1, 0.2, d);
      t.declare("decoder.bias", 0, 0.1, c.vocabSize());
    }
    t.write();
  }

  /** Tensors declared with their distributions, then drawn and written in declaration order. */
  private static final class RandomTensors {
    private final SafetensorsWriter writer;
    private final DType dtype;
    private final boolean biases;
    private final long seed;
    private final List<Draw> draws = new ArrayList<>();

    private record Draw(long count, double mean, double std) {}

    RandomTensors(SafetensorsWriter writer, DType dtype, boolean biases, long seed) {
      this.writer = writer;
      this.dtype = dtype;
      this.biases = biases;
      this.seed = seed;
    }

    /** A tensor of {@code shape} with values ~ N(mean, std²). */
    void declare(String name, double mean, double std, long... shape) throws IOException {
      writer.declare(name, dtype, shape);
      draws.add(new Draw(Arrays.stream(shape).reduce(1, Math::multiplyExact), mean, std));
    }

    /** A LayerNorm: weight ~ 1 + N(0, 0.2²), bias ~ N(0, 0.1²) when biases are on. */
    void norm(String module, long d) throws IOException {
      declare(module + ".weight", 1, 0.2, d);
      if (biases) {
        declare(module + ".bias", 0, 0.1, d);
      }
    }

    /** A linear layer [out, in]: weight ~ N(0, 1/in), bias ~ N(0, 0.1²) when biases are on. */
    void linear(String module, long out, long in) throws IOException {
      declare(module + ".weight", 0, 1 / Math.sqrt(in), out, in);
      if (biases) {
        declare(module + ".bias", 0, 0.1, out);
      }
    }

    void write() throws IOException {
      SplittableRandom rnd = new SplittableRandom(seed);
      for (Draw draw : draws) {
        writer.write(gaussian(rnd, draw.count(), draw.mean(), draw.std()));
      }
      writer.finish();
    }
  }

  private static float[] gaussian(SplittableRandom rnd, long count, double mean, double std) {
    float[] v = new float[Math.toIntExact(count)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (mean + std * rnd.nextGaussian());
    }
    return v;
  }

  private static void writeTokenizer(Path out) throws IOException {
    copyBundledTokenizer(out);
    writeString(out.resolve(ModelTokenizer.JSON_FILE), SentencePieceTokenizerJson.build(out));
  }

  /** Copies the bundled real ModernBERT-Ja tokenizer ({@code tokenizer.model} and its configs) into {@code out}. */
  public static void copyBundledTokenizer(Path out) throws IOException {
    for (String f : TOKENIZER_FILES) {
      try (InputStream in = RandomCheckpointWriter.class.getResourceAsStream(TOKENIZER_RESOURCE + f)) {
        if (in == null) {
          throw new IOException("bundled tokenizer file " + f + " is missing from the jar");
        }
        Files.copy(in, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void writeSentenceTransformers(Path out, int dim) throws IOException {
    writeString(out.resolve(EmbeddingProfile.MODULES_FILE), """
        [
          {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
          {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
        ]
        """);
    Files.createDirectories(out.resolve("1_Pooling"));
    ObjectNode pooling = JsonFiles.mapper().createObjectNode();
    pooling.put("word_embedding_dimension", dim);
    pooling.put("pooling_mode_cls_token", false);
    pooling.put("pooling_mode_mean_tokens", true);
    pooling.put("pooling_mode_max_tokens", false);
    pooling.put("pooling_mode_mean_sqrt_len_tokens", false);
    pooling.put("pooling_mode_weightedmean_tokens", false);
    pooling.put("pooling_mode_lasttoken", false);
    pooling.put("include_prompt", true);
    writeString(out.resolve("1_Pooling/config.json"), pooling.toPrettyString());
    ObjectNode st = JsonFiles.mapper().createObjectNode();
    ObjectNode prompts = st.putObject("prompts");
    prompts.put("query", EmbeddingProfile.RURI_QUERY_PREFIX);
    prompts.put("document", EmbeddingProfile.RURI_DOCUMENT_PREFIX);
    st.putNull("default_prompt_name");
    st.put("similarity_fn_name", "cosine");
    writeString(out.resolve(EmbeddingProfile.PROMPTS_FILE), st.toPrettyString());
    writeString(out.resolve(EmbeddingProfile.SBERT_CONFIG_FILE), "{\"max_seq_length\": 8192, \"do_lower_case\": false}\n");
  }

  private static void writeString(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
