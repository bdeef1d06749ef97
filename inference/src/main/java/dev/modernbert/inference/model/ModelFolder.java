package dev.modernbert.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.model.OnnxModelCheck;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model folder, in one of two layouts:
 * <ul>
 *   <li>a Hugging Face ModernBERT checkpoint as published: {@code config.json}, safetensors weights, tokenizer
 *       files and optional sentence-transformers metadata (compiled to ONNX by this project);
 *   <li>an exported encoder of any architecture: {@code model.onnx} (inputs {@code input_ids},
 *       {@code attention_mask}; output {@code last_hidden_state}) plus {@code tokenizer.json}.
 * </ul>
 * Opening reads and validates only the small files; weights are read when the model is loaded.
 */
public final class ModelFolder {
  /** The graph file of an exported-encoder folder. */
  public static final String EXPORTED_GRAPH = "model.onnx";
  private static final int DEFAULT_EXPORTED_MAX_TOKENS = 512;

  /** The folder's layout. */
  public enum Format { MODERNBERT_CHECKPOINT, EXPORTED_ONNX }

  private final Path dir;
  private final Format format;
  private final ModernBertConfig config;
  private final EmbeddingProfile profile;
  private final int hiddenSize;
  private final int modelMaxTokens;
  private final int padTokenId;

  private ModelFolder(Path dir, Format format, ModernBertConfig config, EmbeddingProfile profile, int hiddenSize,
      int modelMaxTokens, int padTokenId) {
    this.dir = dir;
    this.format = format;
    this.config = config;
    this.profile = profile;
    this.hiddenSize = hiddenSize;
    this.modelMaxTokens = modelMaxTokens;
    this.padTokenId = padTokenId;
  }

  /** Opens {@code dir}, detecting its layout. */
  public static ModelFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidModelException(dir + ": not a directory");
    }
    if (Files.isRegularFile(dir.resolve(EXPORTED_GRAPH)) && !Checkpoint.isPresent(dir)) {
      return openExported(dir);
    }
    if (!Files.isRegularFile(dir.resolve(ModernBertConfig.FILE))) {
      throw new InvalidModelException(dir.getFileName() + ": no " + ModernBertConfig.FILE + " (and no "
          + EXPORTED_GRAPH + ")");
    }
    ModernBertConfig config = ModernBertConfig.read(dir);
    return new ModelFolder(dir, Format.MODERNBERT_CHECKPOINT, config, EmbeddingProfile.read(dir, config.vocabSize()),
        config.hiddenSize(), config.maxPositionEmbeddings(), config.padTokenId());
  }

  private static ModelFolder openExported(Path dir) {
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      throw new InvalidModelException(dir.getFileName() + ": an exported " + EXPORTED_GRAPH + " needs a tokenizer.json");
    }
    long declared = OnnxModelCheck.check(dir, EXPORTED_GRAPH);
    if (declared < 0 || declared > ModernBertConfig.MAX_DIMENSION) {
      throw new InvalidModelException(dir.getFileName() + ": " + EXPORTED_GRAPH + " declares last_hidden_state of"
          + " width " + declared + ", not a valid hidden size");
    }
    JsonNode cfg = Files.isRegularFile(dir.resolve(ModernBertConfig.FILE))
        ? JsonFiles.read(dir.resolve(ModernBertConfig.FILE), JsonFiles.MAX_CONFIG_BYTES) : JsonFiles.mapper().createObjectNode();
    int hidden = declared > 0 ? Math.toIntExact(declared) : ModernBertConfig.positive(cfg, "hidden_size", 0);
    if (hidden <= 0) {
      throw new InvalidModelException(dir.getFileName() + ": the hidden size is neither fixed in " + EXPORTED_GRAPH
          + "'s last_hidden_state nor given as hidden_size in config.json");
    }
    int maxTokens = ModernBertConfig.positive(cfg, "max_position_embeddings", DEFAULT_EXPORTED_MAX_TOKENS);
    EmbeddingProfile profile = EmbeddingProfile.read(dir, ModernBertConfig.positive(cfg, "vocab_size", 0));
    return new ModelFolder(dir, Format.EXPORTED_ONNX, null, profile, hidden, maxTokens,
        ModernBertConfig.tokenId(cfg, "pad_token_id", 0));
  }

  public Path dir() {
    return dir;
  }

  public Format format() {
    return format;
  }

  /** The ModernBERT configuration; only for {@link Format#MODERNBERT_CHECKPOINT} folders. */
  public ModernBertConfig config() {
    if (config == null) {
      throw new IllegalStateException(dir.getFileName() + " is an exported ONNX folder without a ModernBERT config");
    }
    return config;
  }

  public EmbeddingProfile profile() {
    return profile;
  }

  /** Width of the token states and of the pooled vector. */
  public int hiddenSize() {
    return hiddenSize;
  }

  public int padTokenId() {
    return padTokenId;
  }

  /** The most tokens one sequence may have: the sentence-transformers limit if set, else the model's. */
  public int maxTokens() {
    return profile.maxSeqLength() > 0 ? Math.min(profile.maxSeqLength(), modelMaxTokens) : modelMaxTokens;
  }

  /** Opens the safetensors weights. */
  public Checkpoint openCheckpoint() {
    return Checkpoint.open(dir);
  }

  /** Loads and validates all encoder weights. */
  public ModernBertWeights loadWeights() {
    try (Checkpoint c = openCheckpoint()) {
      return ModernBertWeights.load(config(), c);
    }
  }
}
