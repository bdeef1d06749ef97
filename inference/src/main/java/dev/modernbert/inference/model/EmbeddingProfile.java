package dev.modernbert.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.pooling.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * How a model folder turns token states into a text embedding, from its sentence-transformers metadata
 * ({@code modules.json}, the pooling module's {@code config.json}, {@code config_sentence_transformers.json},
 * {@code sentence_bert_config.json}). Ruri v3 prefixes are known even when the folder does not declare them.
 *
 * @param maxSeqLength the sentence-transformers truncation length, or 0 when not declared
 */
public record EmbeddingProfile(Pooling pooling, String queryPrefix, String documentPrefix, int maxSeqLength) {
  public static final String MODULES_FILE = "modules.json";
  public static final String PROMPTS_FILE = "config_sentence_transformers.json";
  public static final String SBERT_CONFIG_FILE = "sentence_bert_config.json";
  public static final String RURI_QUERY_PREFIX = "検索クエリ: ";
  public static final String RURI_DOCUMENT_PREFIX = "検索文書: ";

  private static final Pattern MODULE_PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}");
  private static final int RURI_VOCAB = 102400;

  /** Mean pooling and no prefixes: what a bare encoder folder gets. */
  public static EmbeddingProfile plain() {
    return new EmbeddingProfile(Pooling.MEAN, "", "", 0);
  }

  /**
   * Reads the metadata of {@code folder}. {@code vocabSize} identifies ModernBERT-Ja embedding models
   * (Ruri v3) that do not declare their prompts; pass 0 when unknown.
   */
  public static EmbeddingProfile read(Path folder, int vocabSize) {
    Path modules = folder.resolve(MODULES_FILE);
    if (!Files.isRegularFile(modules)) {
      return plain();
    }
    Pooling pooling = Pooling.MEAN;
    JsonNode list = JsonFiles.readArray(modules, JsonFiles.MAX_CONFIG_BYTES);
    for (JsonNode m : list) {
      String type = m.path("type").asText("");
      if (type.endsWith(".Pooling")) {
        pooling = readPooling(folder, m.path("path").asText(""));
      }
    }
    String query = "";
    String document = "";
    boolean declared = false;
    if (Files.isRegularFile(folder.resolve(PROMPTS_FILE))) {
      JsonNode prompts = JsonFiles.read(folder.resolve(PROMPTS_FILE), JsonFiles.MAX_CONFIG_BYTES).path("prompts");
      if (prompts.isObject() && (prompts.has("query") || prompts.has("document"))) {
        query = prompts.path("query").asText("");
        document = prompts.path("document").asText("");
        declared = true;
      }
    }
    if (!declared && vocabSize == RURI_VOCAB) {
      query = RURI_QUERY_PREFIX;
      document = RURI_DOCUMENT_PREFIX;
    }
    int maxSeq = 0;
    if (Files.isRegularFile(folder.resolve(SBERT_CONFIG_FILE))) {
      JsonNode v = JsonFiles.read(folder.resolve(SBERT_CONFIG_FILE), JsonFiles.MAX_CONFIG_BYTES).path("max_seq_length");
      if (v.isIntegralNumber() && v.asInt() > 0) {
        maxSeq = v.asInt();
      }
    }
    return new EmbeddingProfile(pooling, query, document, maxSeq);
  }

  private static Pooling readPooling(Path folder, String modulePath) {
    if (!MODULE_PATH.matcher(modulePath).matches() || modulePath.contains("..")) {
      throw new InvalidModelException(MODULES_FILE + ": pooling module path \"" + modulePath + "\" is not a plain"
          + " sub-folder name");
    }
    Path cfg = folder.resolve(modulePath).resolve("config.json");
    if (!Files.isRegularFile(cfg)) {
      return Pooling.MEAN;
    }
    JsonNode c = JsonFiles.read(cfg, JsonFiles.MAX_CONFIG_BYTES);
    String file = modulePath + "/config.json";
    for (String unsupported : new String[] {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
        "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
      if (c.path(unsupported).asBoolean(false)) {
        throw new InvalidModelException(file + ": " + unsupported + " is not supported (mean or cls only)");
      }
    }
    boolean cls = c.path("pooling_mode_cls_token").asBoolean(false);
    boolean mean = c.path("pooling_mode_mean_tokens").asBoolean(false);
    if (cls && mean) {
      throw new InvalidModelException(file + ": combined cls + mean pooling is not supported");
    }
    return cls ? Pooling.CLS : Pooling.MEAN;
  }
}
