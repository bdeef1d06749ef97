package dev.modernbert.inference.documents;

import dev.modernbert.inference.chunking.Boundary;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.registry.UnknownModelException;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses a {@code modernbert_embedding} processor's options from its pipeline configuration, removing each option
 * it reads (the engine refuses what is left). Every refusal names its option: an unknown or invalid model, a value
 * of the wrong type, chunking values out of range, unknown chunking options.
 */
public final class EmbeddingProcessorOptions {
  private EmbeddingProcessorOptions() {}

  /** The processor's options; {@code registry} checks the model folder now, before any document comes. */
  public static EmbeddingProcessorConfig parse(Map<String, Object> config, ModelRegistry registry) {
    String model = string(config, "model", true);
    ModelFolder folder;
    try {
      folder = registry.describe(model);
    } catch (UnknownModelException | InvalidModelException e) {
      throw new ProcessorOptionException("model", e.getMessage());
    }
    String field = string(config, "field", true);
    String target = string(config, "target_field", true);
    String docVector = string(config, "doc_vector_field", false);
    String prefix = string(config, "prefix", false);
    boolean storeText = bool(config, "store_text", true);
    boolean ignoreMissing = bool(config, "ignore_missing", false);
    int maxChunks = integer(config, "max_chunks", ChunkingOptions.DEFAULT_MAX_CHUNKS);
    ChunkingOptions chunking = chunking(config.remove("chunking"), maxChunks, folder);
    if (field.equals(target)) {
      throw new ProcessorOptionException("target_field", "must differ from field");
    }
    return new EmbeddingProcessorConfig(model, field, target, docVector,
        prefix != null ? prefix : folder.profile().documentPrefix(), chunking, storeText, ignoreMissing,
        folder.hiddenSize());
  }

  private static ChunkingOptions chunking(Object value, int maxChunks, ModelFolder folder) {
    if (value != null && !(value instanceof Map<?, ?>)) {
      throw new ProcessorOptionException("chunking", "must be an object");
    }
    Map<String, Object> c = new HashMap<>();
    if (value != null) {
      ((Map<?, ?>) value).forEach((k, v) -> c.put(String.valueOf(k), v));
    }
    try {
      int maxTokens = integer(c, "max_tokens", folder.maxTokens());
      int overlap = integer(c, "overlap_tokens", 0);
      String boundary = string(c, "boundary", false);
      int lateTokens = integer(c, "late_chunk_tokens", 0);
      if (!c.isEmpty()) {
        throw new IllegalArgumentException("unknown option(s) " + c.keySet());
      }
      // max_tokens is capped by the model's own limit (8192 for ModernBERT-Ja)
      return new ChunkingOptions(maxTokens, overlap, Boundary.parse(boundary == null ? "sentence" : boundary),
          lateTokens, maxChunks).cappedAt(folder.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new ProcessorOptionException("chunking", e.getMessage());
    }
  }

  /** Removes and returns a string option; a missing required one is refused. */
  private static String string(Map<String, Object> config, String name, boolean required) {
    Object v = config.remove(name);
    if (v == null) {
      if (required) {
        throw new ProcessorOptionException(name, "[" + name + "] required property is missing");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ProcessorOptionException(name, "[" + name + "] property isn't a string, but of type ["
          + v.getClass().getName() + "]");
    }
    return s;
  }

  /** Removes and returns an integer option (a number or a string of one). */
  private static int integer(Map<String, Object> config, String name, int defaultValue) {
    Object v = config.remove(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof Short) {
        return Math.toIntExact(((Number) v).longValue());
      }
      if (v instanceof String s) {
        return Integer.parseInt(s.trim());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // refused below, with the value
    }
    throw new ProcessorOptionException(name, "[" + name + "] must be an integer, got [" + v + "]");
  }

  private static boolean bool(Map<String, Object> config, String name, boolean defaultValue) {
    Object v = config.remove(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    throw new ProcessorOptionException(name, "[" + name + "] must be true or false, got [" + v + "]");
  }
}
