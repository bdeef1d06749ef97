package dev.modernbert.inference.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face ModernBERT checkpoint folder as published: {@code config.json}, safetensors weights,
 * tokenizer files and optional sentence-transformers metadata. Opening it reads only the small files;
 * weights are opened by {@link #openCheckpoint()}.
 */
public final class ModelFolder {
  private final Path dir;
  private final ModernBertConfig config;
  private final EmbeddingProfile profile;

  private ModelFolder(Path dir, ModernBertConfig config, EmbeddingProfile profile) {
    this.dir = dir;
    this.config = config;
    this.profile = profile;
  }

  /** Opens {@code dir}, reading {@code config.json} and the embedding metadata. */
  public static ModelFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidModelException(dir + ": not a directory");
    }
    if (!Files.isRegularFile(dir.resolve(ModernBertConfig.FILE))) {
      throw new InvalidModelException(dir.getFileName() + ": no " + ModernBertConfig.FILE);
    }
    ModernBertConfig config = ModernBertConfig.read(dir);
    return new ModelFolder(dir, config, EmbeddingProfile.read(dir, config.vocabSize()));
  }

  public Path dir() {
    return dir;
  }

  public ModernBertConfig config() {
    return config;
  }

  public EmbeddingProfile profile() {
    return profile;
  }

  /** The most tokens one sequence may have: the sentence-transformers limit if set, else the model's. */
  public int maxTokens() {
    int model = config.maxPositionEmbeddings();
    return profile.maxSeqLength() > 0 ? Math.min(profile.maxSeqLength(), model) : model;
  }

  /** Opens the safetensors weights. */
  public Checkpoint openCheckpoint() {
    return Checkpoint.open(dir);
  }

  /** Loads and validates all encoder weights. */
  public ModernBertWeights loadWeights() {
    try (Checkpoint c = openCheckpoint()) {
      return ModernBertWeights.load(config, c);
    }
  }
}
